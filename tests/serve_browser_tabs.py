"""`dashi serve` as a clerk loses work: two windows, a stopped server, messages out of view.
Real headless Chromium through WebDriver (as tests/serve_browser.py).

Usage: serve_browser_tabs.py URL DASHI FOLDER PID EMPTY_URL
1. Two windows on one file: the second saves a new 联系人; the first, scrolled to the
   bottom, saves another change: refused in view (banner inside the viewport), merged,
   saved again.
2. The server (PID) is killed: the page says so within 2 s; an edit is made; dashi serve
   is run again (it takes the same address); 重新连接, 保存: the edit is in the file.
Prints one JSON object of what it saw; "failed" names the step that did not happen.
"""

import json
import os
import signal
import subprocess
import sys
import time

import browser
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

url, dashi, folder, pid, empty_url = sys.argv[1:6]
driver, wait = browser.chromium()
seen = {}
again = None


def field(path, tag="input"):
    return browser.field(driver, path, tag)


retype = browser.retype


def loaded():
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-path="unit.name"] > input'))


def banner_text():
    b = driver.find_element(By.ID, "banner")
    return b.text if b.is_displayed() else ""


def in_view(element_id):
    return driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight, window.scrollY];", element_id)


def press(element):
    """Clicks an element as a user would: scrolled into view first."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def on_fresh(selector, act):
    """Acts on what `selector` finds; findings are drawn again after every check, so an
    element found a moment before may be gone: it is looked up again."""
    for _ in range(100):
        try:
            return act(driver.find_element(By.CSS_SELECTOR, selector))
        except (StaleElementReferenceException, NoSuchElementException):
            time.sleep(0.1)
    raise NoSuchElementException(selector)


def button(label):
    for b in driver.find_elements(By.CSS_SELECTOR, "#banner button"):
        if label in b.text:
            return b
    raise NoSuchElementException(label)


try:
    driver.get(url)
    loaded()
    first = driver.current_window_handle
    origin = url.split("/?")[0]
    driver.switch_to.new_window("window")
    driver.get(origin + "/")
    loaded()
    retype(field("unit.contact.name"), "李四")
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
    seen["second_saved"] = True

    driver.switch_to.window(first)
    retype(field("unit.name"), "呼和浩特市新城机械厂")
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    time.sleep(0.2)
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: "已被改动" in banner_text())
    top, bottom, height, scrolled = in_view("banner")
    seen["refusal_in_view"] = top >= 0 and bottom <= height and scrolled > 1000
    seen["refusal_rect"] = [top, bottom, height, scrolled]
    button("合并").click()
    wait.until(lambda d: field("unit.contact.name").get_attribute("value") == "李四")
    assert field("unit.name").get_attribute("value") == "呼和浩特市新城机械厂"
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
    seen["merged_and_saved"] = True

    # The server stops.
    os.kill(int(pid), signal.SIGKILL)
    stopped = time.time()
    wait.until(lambda d: "连接断开" in banner_text())
    seen["noticed_after_s"] = round(time.time() - stopped, 2)
    top, bottom, height, _ = in_view("banner")
    seen["gone_in_view"] = top >= 0 and bottom <= height
    retype(field("unit.name"), "呼和浩特市断线后机械厂")
    seen["kept_in_browser"] = "断线后" in driver.execute_script(
        "return Object.keys(localStorage).map(k => localStorage.getItem(k)).join('')")
    # dashi serve again, for the same folder: the same address.
    again = subprocess.Popen([dashi, "serve", folder, "--no-open"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    for line in again.stdout:
        if line.startswith("http://"):
            seen["same_address"] = line.split("/?")[0] == origin
            break
    button("重新连接").click()
    wait.until(lambda d: "已重新连接" in banner_text())
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
    seen["saved_after_reconnect"] = True

    # 3. Keyboard: focus follows 添加 and 删除; a deletion can be undone; findings are
    # reached by keyboard and tied to their inputs; Ctrl+S saves.
    active_path = lambda: driver.execute_script(
        "const f = document.activeElement.closest('fieldset[data-path]');"
        "return [f ? f.dataset.path : null, document.activeElement.tagName,"
        " document.activeElement.getAttribute('aria-label')];")
    members = lambda: len(driver.find_elements(By.CSS_SELECTOR, 'fieldset[data-path^="members["][data-path$="]"]'))
    count = members()
    press(driver.find_element(By.CSS_SELECTOR, '[data-add="members"]'))
    wait.until(lambda d: members() == count + 1)
    seen["focus_after_add"] = active_path()
    delete = driver.find_element(By.CSS_SELECTOR, f'fieldset[data-path="members[{count}]"] [data-act="删除"]')
    seen["delete_label"] = delete.get_attribute("aria-label")
    press(delete)
    wait.until(lambda d: members() == count)
    seen["focus_after_delete"] = active_path()
    wait.until(lambda d: "已删除" in banner_text())
    first_name = field("members[0].name").get_attribute("value")
    press(driver.find_element(By.CSS_SELECTOR, 'fieldset[data-path="members[0]"] [data-act="删除"]'))
    wait.until(lambda d: members() == count - 1)
    button("撤销").click()
    wait.until(lambda d: members() == count)
    seen["undone"] = field("members[0].name").get_attribute("value") == first_name
    id_input = field("master.id_number")
    good = id_input.get_attribute("value")
    retype(id_input, good[:-1] + ("0" if good[-1] != "0" else "1"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#findings li[data-code="R141"]'))
    time.sleep(0.5)  # the checks after the last keystroke have run
    r141 = '#findings li[data-code="R141"]'
    seen["finding_focusable"] = on_fresh(r141, lambda e: e.get_attribute("tabindex")) == "0"
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    on_fresh(r141, lambda e: e.send_keys("\n"))
    wait.until(lambda d: active_path()[0] == "master")
    rect = driver.execute_script(
        "const r = document.activeElement.getBoundingClientRect();"
        "const h = document.querySelector('header').getBoundingClientRect();"
        "return [r.top, h.bottom];")
    seen["focused_below_header"] = rect[0] >= rect[1]
    field_now = field("master.id_number")
    described = field_now.get_attribute("aria-describedby") or ""
    seen["aria_invalid"] = field_now.get_attribute("aria-invalid") == "true"
    seen["aria_describedby"] = bool(described) and all(
        driver.find_elements(By.ID, d) for d in described.split())
    retype(field_now, good)
    from selenium.webdriver.common.keys import Keys
    field_now.send_keys(Keys.CONTROL, "s")
    wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
    seen["ctrl_s_saved"] = True

    # 5. The form's own words: a member without an ID card copy gets a button that adds
    # the evidence entry, filled in (编号 next in line, 成员 chosen from the members).
    count = members()
    press(driver.find_element(By.CSS_SELECTOR, '[data-add="members"]'))
    wait.until(lambda d: members() == count + 1)
    retype(field(f"members[{count}].name"), "赵六")
    fix = f'[data-path="members[{count}].name"] .finding[data-code="R132"] button[data-fix]'
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, fix))
    entries = lambda: len(driver.find_elements(By.CSS_SELECTOR, 'fieldset[data-path^="evidence["][data-path$="]"]'))
    before = entries()
    time.sleep(0.5)  # the checks after the last keystroke have run
    on_fresh(fix, press)
    wait.until(lambda d: entries() == before + 1)
    n = before
    seen["fixed_entry"] = {
        "id": field(f"evidence[{n}].id").get_attribute("value"),
        "kind": field(f"evidence[{n}].kind", "select").get_attribute("value"),
        "owner": field(f"evidence[{n}].owner", "select").get_attribute("value"),
        "member": field(f"evidence[{n}].member", "select").get_attribute("value"),
        "member_choices": [o.text for o in field(f"evidence[{n}].member", "select").find_elements(By.TAG_NAME, "option")],
    }

    # 4. A folder without a data file: no endless 正在检查…, 生成 disabled, 从样例开始.
    driver.get(empty_url)
    wait.until(lambda d: "还没有数据文件" in banner_text())
    time.sleep(1.5)
    seen["empty_summary"] = driver.find_element(By.ID, "summary").text
    seen["empty_build_disabled"] = not driver.find_element(By.ID, "build").is_enabled()
    button("从样例开始").click()
    loaded()
    seen["started_from_sample"] = driver.find_element(By.ID, "build").is_enabled()
except Exception as e:  # say where it stopped
    import traceback
    where = [f"line {t.lineno}: {t.line}" for t in traceback.extract_tb(e.__traceback__)]
    seen["failed"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} at {where}"
    try:
        seen["banner"] = banner_text()
        seen["status"] = driver.find_element(By.ID, "status").text
    except Exception:
        pass
finally:
    driver.quit()
    if again:
        again.kill()
print(json.dumps(seen, ensure_ascii=False))
