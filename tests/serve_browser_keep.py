"""`dashi serve` keeps every unsaved edit, follows the edit in the preview, and can be used
by keyboard, by screen reader and at 200 % zoom. Real headless Chromium through WebDriver
(as tests/serve_browser.py), axe-core injected into the page.

Usage: serve_browser_keep.py URL DASHI FOLDER PID AXE_JS
1. Edits are kept per tab: tab A edits 申报单位名称, tab B edits 联系人 and is closed
   unsaved; A is reloaded: both sets are offered; typing on keeps the offers; both are
   taken back. A save in tab C never erases A's kept entry.
2. The same field changed in two tabs is a conflict to settle: the saved value stays
   until the clerk picks one.
3. The server is killed, a save is pressed: 重新连接 stays, and once dashi serve runs
   again the page reconnects by itself.
4. The preview shows the page of the edit.
5. A skip link to the findings; list items named by a legend; axe-core: no serious or
   critical violation; at 200 % zoom on 1366×768 the form is at least 320 px wide.
Prints one JSON object of what it saw; "failed" names the step that did not happen.
"""

import json
import os
import signal
import subprocess
import sys
import time

import browser
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

url, dashi, folder, pid, axe_js = sys.argv[1:6]
driver, wait = browser.chromium()
seen = {}
again = squatter = third = None
origin = url.split("/?")[0]


def field(path, tag="input"):
    return browser.field(driver, path, tag)


def loaded():
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-path="unit.name"] > input'))
    time.sleep(0.3)  # the first check and layout have come back


def banner_text():
    b = driver.find_element(By.ID, "banner")
    return b.text if b.is_displayed() else ""


def kept_offers():
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#kept [data-kept]")]


def press_in(selector, label):
    for b in driver.find_elements(By.CSS_SELECTOR, selector):
        if label in b.text:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", b)
            b.click()
            return
    raise NoSuchElementException(f"{selector} {label}")


def saved():
    wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")


def kept_entries():
    return driver.execute_script(
        "return Object.keys(localStorage).filter(k => k.startsWith('dashi:'))"
        ".map(k => localStorage.getItem(k)).join('\\n')")


try:
    # 0. A first 生成 on the clean sample: a packet in 输出 (made out of date below).
    driver.get(url)
    loaded()
    driver.find_element(By.ID, "build").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#built a[href$=".zip"]'))

    # 1. Two tabs, one closed unsaved, one reloaded.
    tab_a = driver.current_window_handle
    browser.retype(field("unit.name"), "呼和浩特市甲窗口机械厂")
    driver.switch_to.new_window("tab")
    driver.get(origin + "/")
    loaded()
    browser.retype(field("unit.contact.name"), "乙窗口联系人")
    time.sleep(0.3)
    driver.close()
    driver.switch_to.window(tab_a)
    driver.refresh()
    loaded()
    wait.until(lambda d: len(kept_offers()) == 2)
    offers = kept_offers()
    seen["offers_name_fields"] = any("申报单位名称" in o for o in offers) and any("联系人" in o for o in offers)
    # Typing on does not take the offers away.
    browser.retype(field("unit.legal_representative"), "丙法人")
    time.sleep(1.2)
    seen["offers_stay_while_typing"] = len(kept_offers()) == 2
    press_in("#kept button", "恢复这些修改")
    wait.until(lambda d: len(kept_offers()) == 1)
    press_in("#kept button", "恢复这些修改")
    wait.until(lambda d: len(kept_offers()) == 0)
    seen["restored_both"] = (
        field("unit.name").get_attribute("value") == "呼和浩特市甲窗口机械厂"
        and field("unit.contact.name").get_attribute("value") == "乙窗口联系人"
        and field("unit.legal_representative").get_attribute("value") == "丙法人")
    # A save in another tab leaves this tab's kept edits alone.
    driver.switch_to.new_window("tab")
    driver.get(origin + "/")
    loaded()
    tab_c = driver.current_window_handle
    seen["live_tab_not_offered"] = len(kept_offers()) == 0
    browser.retype(field("studio.location"), "丁窗口地点")
    driver.find_element(By.ID, "save").click()
    saved()
    seen["other_tabs_entry_survives_a_save"] = "乙窗口联系人" in kept_entries()
    driver.switch_to.window(tab_a)
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: "已被改动" in banner_text())
    press_in("#banner button", "合并")
    driver.find_element(By.ID, "save").click()
    saved()

    # 2. The same field in two tabs.
    driver.switch_to.window(tab_c)
    driver.refresh()
    loaded()
    browser.retype(field("unit.fax"), "0471-1111111")
    driver.find_element(By.ID, "save").click()
    saved()
    driver.switch_to.window(tab_a)
    browser.retype(field("unit.fax"), "0471-2222222")
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: "已被改动" in banner_text())
    press_in("#banner button", "合并")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#conflicts li[data-conflict="unit.fax"]'))
    row = driver.find_element(By.CSS_SELECTOR, '#conflicts li[data-conflict="unit.fax"]')
    seen["conflict_row"] = row.text
    seen["saved_value_kept_until_chosen"] = field("unit.fax").get_attribute("value") == "0471-1111111"
    press_in('#conflicts li[data-conflict="unit.fax"] button', "用本页的")
    wait.until(lambda d: field("unit.fax").get_attribute("value") == "0471-2222222")
    driver.find_element(By.ID, "save").click()
    saved()
    seen["conflict_settled"] = True

    # 3. A save while the server is down; the page reconnects by itself.
    os.kill(int(pid), signal.SIGKILL)
    wait.until(lambda d: "连接断开" in banner_text())
    browser.retype(field("unit.name"), "呼和浩特市重连后机械厂")
    driver.find_element(By.ID, "save").click()
    time.sleep(0.5)
    seen["reconnect_button_after_failed_save"] = any(
        "重新连接" in b.text for b in driver.find_elements(By.CSS_SELECTOR, "#banner button"))
    again = subprocess.Popen([dashi, "serve", folder, "--no-open"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    for line in again.stdout:
        if line.startswith("http://"):
            seen["same_address"] = line.split("/?")[0] == origin
            break
    wait.until(lambda d: "已重新连接" in banner_text())
    seen["reconnected_by_itself"] = True
    driver.find_element(By.ID, "save").click()
    saved()

    # 4. The preview follows the edit: the 申报表's facilities, a later page.
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#pages .page-text")) > 1)
    driver.execute_script("document.getElementById('preview').scrollTo(0, 0)")
    box = field("studio.facilities", "textarea")
    box.send_keys(Keys.END, "核对预览标记")

    def page_in_view(d):
        return d.execute_script(
            "const pane = document.getElementById('preview').getBoundingClientRect();"
            "const texts = [...document.querySelectorAll('#pages .page-text')];"
            "const i = texts.findIndex(t => t.textContent.includes('核对预览标记'));"
            "if (i < 0) return null;"
            "const r = texts[i].parentElement.getBoundingClientRect();"
            "return [i + 1, r.top < pane.bottom && r.bottom > pane.top];")

    wait.until(lambda d: page_in_view(d) is not None and page_in_view(d)[1])
    seen["followed_page"] = page_in_view(driver)[0]
    seen["preview_status"] = driver.find_element(By.ID, "preview-status").text
    driver.find_element(By.ID, "save").click()
    saved()

    # 4-. A 填报时间 after today is an error beside its field (附件2 填写要求一).
    filled = field("filled_on")
    filled_before = filled.get_attribute("value")
    set_date = ("arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));")
    driver.execute_script(set_date, filled, "2031-01-01")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-path="filled_on"] .finding[data-code="R181"]'))
    seen["future_filing_said"] = True
    # 生成 now fails: said for its cause, the earlier packet called out of date.
    driver.find_element(By.ID, "build").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#built .error"))
    seen["failed_build_said"] = driver.find_element(By.CSS_SELECTOR, "#built .error").text
    seen["old_links_gone"] = not driver.find_elements(By.CSS_SELECTOR, '#built a[href$=".zip"]')
    driver.execute_script(set_date, field("filled_on"), filled_before)
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, '#findings li[data-code="R181"]'))

    # 4a. A list of numbers typed the Chinese way: “1、4” is two numbers.
    from selenium.webdriver.support.ui import Select
    category = field("master.qualification.category")
    before_category = category.get_attribute("value")
    browser.retype(category, "3")
    browser.retype(field("master.qualification.conditions"), "1、4")
    seen["conditions_typed"] = driver.execute_script(
        "return state.data.master.qualification.conditions")
    browser.retype(field("master.qualification.category"), before_category)
    browser.retype(field("master.qualification.conditions"), "")

    # 4c. The first member deleted and saved: the section's comment stays in the file.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})",
                          driver.find_element(By.CSS_SELECTOR, 'fieldset[data-path="members[0]"] [data-act="删除"]'))
    driver.find_element(By.CSS_SELECTOR, 'fieldset[data-path="members[0]"] [data-act="删除"]').click()
    driver.find_element(By.ID, "save").click()
    saved()
    with open(os.path.join(folder, "studio.toml"), encoding="utf-8") as f:
        seen["section_comment_kept"] = "工作室成员：每人一段" in f.read()

    # 4b. Members from an Excel roster: shown first, each bad cell said by row and
    # column, then added after the members (columns in another order, extra columns).
    import tempfile
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "姓名", "身份证号码", "性别", "职业（工种）", "技能等级", "职务", "备注"])
    sheet.append([1, "钱七", "150102199003070015", "", "焊工", "高级技师", "技术骨干", ""])
    sheet.append([2, "孙八", "150102199508080024", "F", "电工", "技师", "成员", ""])
    sheet.append([3, "", "", "", "", "", "", "离职"])
    roster = os.path.join(tempfile.mkdtemp(), "成员名册.xlsx")
    book.save(roster)
    members = lambda: len(driver.find_elements(By.CSS_SELECTOR, 'fieldset[data-path^="members["][data-path$="]"]'))
    count = members()
    driver.find_element(By.CSS_SELECTOR, "input[data-roster]").send_keys(roster)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".roster-table tbody tr"))
    seen["roster_rows"] = len(driver.find_elements(By.CSS_SELECTOR, ".roster-table tbody tr"))
    seen["roster_problems"] = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".roster li")]
    seen["members_before_choice"] = members() == count
    press_in(".roster button", "添加到现有成员之后")
    wait.until(lambda d: members() == count + 2)
    seen["roster_added"] = [field(f"members[{count}].name").get_attribute("value"),
                            field(f"members[{count + 1}].name").get_attribute("value")]
    # 孙八's 性别 was not taken ("F") but read from the ID number: it is there to save.
    seen["roster_sex_from_id"] = Select(field(f"members[{count + 1}].sex", "select")).first_selected_option.text
    driver.find_element(By.ID, "save").click()
    saved()

    # 5. Keyboard, screen reader, zoom, axe-core.
    driver.refresh()
    loaded()
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = driver.switch_to.active_element
    seen["first_tab_stop"] = skip.text
    skip.send_keys(Keys.ENTER)
    seen["skip_lands_on"] = driver.execute_script("return document.activeElement.id")
    seen["member_legend"] = driver.execute_script(
        "const l = document.querySelector('fieldset[data-path=\"members[1]\"] > legend');"
        "return l && l.textContent;")
    driver.execute_script(open(axe_js, encoding="utf-8").read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " first: v.nodes[0] && v.nodes[0].target.join(' ')}))));")
    seen["axe"] = result
    # 200 % zoom on 1366×768 is a 683×384 CSS-pixel window.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 2, "mobile": False})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 683, "height": 384, "deviceScaleFactor": 2, "mobile": False})
    time.sleep(0.5)
    seen["zoomed_form_width"] = driver.execute_script(
        "return document.getElementById('form').getBoundingClientRect().width")
    seen["zoomed_preview_folded"] = driver.execute_script(
        "return getComputedStyle(document.getElementById('pages')).display") == "none"
    seen["zoomed_page_overflows"] = driver.execute_script(
        "return document.documentElement.scrollWidth > window.innerWidth + 1")
    if len(sys.argv) > 6:
        driver.save_screenshot(sys.argv[6])
    driver.find_element(By.ID, "fold").click()
    seen["unfolded"] = driver.execute_script(
        "return getComputedStyle(document.getElementById('pages')).display") != "none"
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # 6. The address is taken by another program while dashi serve is stopped: the run
    # after says so and takes another; the page at the old address is told where to go
    # and takes its unsaved edit along.
    again.kill()
    again.wait()
    wait.until(lambda d: "连接断开" in banner_text())
    browser.retype(field("unit.name"), "呼和浩特市换址后机械厂")
    old_port = origin.rsplit(":", 1)[1]
    squatter = subprocess.Popen([sys.executable, "-m", "http.server", old_port, "--bind", "127.0.0.1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The other program holds the port before dashi serve runs again (it answers).
    import socket
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", int(old_port)), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the other program never listened")
    third = subprocess.Popen([dashi, "serve", folder, "--no-open"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    said = ""
    for line in third.stdout:
        said += line
        if line.startswith("http://"):
            new_url = line.strip()
            break
    seen["moved_said"] = said
    old_tab = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(new_url)
    loaded()
    driver.close()
    driver.switch_to.window(old_tab)
    wait.until(lambda d: "新地址" in banner_text())
    seen["old_page_told"] = banner_text()
    press_in("#banner button", "转到新地址")
    wait.until(lambda d: d.current_url.startswith(new_url.split("/?")[0]))
    loaded()
    wait.until(lambda d: any("申报单位名称" in o for o in kept_offers()))
    press_in("#kept button", "恢复这些修改")
    wait.until(lambda d: field("unit.name").get_attribute("value") == "呼和浩特市换址后机械厂")
    driver.find_element(By.ID, "save").click()
    saved()
    seen["carried_and_saved"] = True
except Exception as e:  # say where it stopped
    import traceback
    where = [f"line {t.lineno}: {t.line}" for t in traceback.extract_tb(e.__traceback__)]
    seen["failed"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} at {where}"
    try:
        seen["banner"] = banner_text()
        seen["status"] = driver.find_element(By.ID, "status").text
        seen["kept"] = kept_offers()
        seen["members_now"] = driver.execute_script("return JSON.stringify(state.data.members)")
    except Exception:
        pass
finally:
    driver.quit()
    for process in (again, squatter, third):
        if process:
            process.kill()
print(json.dumps(seen, ensure_ascii=False))
