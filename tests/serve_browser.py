"""The form of `dashi serve` in a real headless Chromium, driven through WebDriver
(Debian's chromium and chromium-driver, Python selenium; tests/run installs them).

Usage: serve_browser.py URL SCAN DOWNLOADS SCREENSHOT
Prints one JSON object: what it saw and measured. Fails (exit 1) at the first step the
page does not do.
"""

import json
import os
import sys
import time

import browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

url, scan, downloads, screenshot = sys.argv[1:5]

driver, wait = browser.chromium(downloads)
seen = {}


def field(path, tag="input"):
    return browser.field(driver, path, tag)


retype = browser.retype


def preview_text():
    return "".join(e.get_attribute("textContent") for e in
                   driver.find_elements(By.CSS_SELECTOR, "#pages .page-text"))


def finding_at(path, code):
    return driver.find_elements(
        By.CSS_SELECTOR, f'[data-path="{path}"] > .finding[data-code="{code}"]')


try:
    driver.get(url)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-path="unit.name"] > input'))
    wait.until(lambda d: "王建军" in preview_text())
    seen["title"] = driver.title

    # An optional yes/no is a choice of 不填/是/否, not a text box.
    seen["optional_boolean"] = [o.text for o in Select(
        field("unit.runs_vocational_training", "select")).options]

    # The unit's name: the 申报表 preview shows it.
    retype(field("unit.name"), "呼和浩特市新城机械厂")
    wait.until(lambda d: "呼和浩特市新城机械厂" in preview_text())
    seen["preview_shows_unit"] = True

    # The old name left in the master's post is a finding there (R105) until retyped.
    wait.until(lambda d: finding_at("master.employer_and_title", "R105"))
    seen["r105_shown"] = True
    retype(field("master.employer_and_title", "textarea"), "呼和浩特市新城机械厂 焊接技术中心主任")
    wait.until(lambda d: not finding_at("master.employer_and_title", "R105"))
    seen["r105_gone"] = True

    # A wrong check digit: R141 at the field; corrected: gone.
    id_input = field("master.id_number")
    good_id = id_input.get_attribute("value")
    retype(id_input, good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    wait.until(lambda d: finding_at("master.id_number", "R141"))
    seen["r141_shown"] = True
    retype(field("master.id_number"), good_id)
    wait.until(lambda d: not finding_at("master.id_number", "R141"))
    seen["r141_gone"] = True

    # A number typed in words is not stored (never as 0): the box says so. An emptied
    # box leaves the field out, so it is missing (D003) until a number is typed.
    note = lambda: driver.find_element(
        By.CSS_SELECTOR, '[data-path="studio.area"] > .input-note').text
    d003 = lambda: driver.find_elements(By.CSS_SELECTOR, '.finding[data-code="D003"]')
    retype(field("studio.area"), "三百二十")
    field("studio.area").send_keys(Keys.TAB)
    wait.until(lambda d: "阿拉伯数字" in note())
    seen["area_words_note"] = note()
    area = field("studio.area")
    area.send_keys(Keys.CONTROL, "a")
    area.send_keys(Keys.BACKSPACE)
    wait.until(lambda d: d003())
    seen["area_empty_missing"] = True
    retype(field("studio.area"), "320")
    wait.until(lambda d: not d003() and not note())

    # 不填此项 clears a whole section; 撤销 brings every value back.
    fund = lambda: driver.find_elements(
        By.CSS_SELECTOR, '[data-path="unit.education_fund.total"] > input')
    before = fund()[0].get_attribute("value")
    next(b for b in driver.find_elements(
        By.CSS_SELECTOR, '[data-path="unit.education_fund"] > button')
        if b.text == "不填此项").click()
    wait.until(lambda d: not fund())
    next(b for b in driver.find_elements(By.CSS_SELECTOR, "#banner button")
         if b.text == "撤销").click()
    wait.until(lambda d: fund() and fund()[0].get_attribute("value") == before)
    seen["fund_undone"] = before

    # A new member, with an ID card scan uploaded and a certificate by number.
    driver.find_element(By.CSS_SELECTOR, '[data-add="members"]').click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-path="members[2].name"] > input'))
    retype(field("members[2].name"), "王强")
    retype(field("members[2].id_number"), "150102199201010013")
    retype(field("members[2].role"), "成员")
    retype(field("members[2].occupation"), "焊工")
    Select(field("members[2].skill_level", "select")).select_by_visible_text("高级工")
    evidence = lambda: len(driver.find_elements(By.CSS_SELECTOR, 'fieldset[data-path^="evidence["][data-path$="]"]'))
    for kind, title, ident in (("身份证", "王强身份证", "E12"),
                               ("职业技能等级证书", "王强高级工职业技能等级证书", "E13")):
        before = evidence()
        driver.find_element(By.CSS_SELECTOR, '[data-add="evidence"]').click()
        wait.until(lambda d: evidence() == before + 1)
        n = before
        retype(field(f"evidence[{n}].id"), ident)
        retype(field(f"evidence[{n}].title"), title)
        Select(field(f"evidence[{n}].kind", "select")).select_by_visible_text(kind)
        Select(field(f"evidence[{n}].owner", "select")).select_by_visible_text("成员")
        Select(field(f"evidence[{n}].member", "select")).select_by_visible_text("王强")
        if kind == "身份证":
            picker = driver.find_element(By.CSS_SELECTOR, f'[data-scan="{n}"] input[type=file]')
            picker.send_keys(scan)
            wait.until(lambda d: field(f"evidence[{n}].file").get_attribute("value").startswith("evidence/"))
            seen["uploaded_as"] = field(f"evidence[{n}].file").get_attribute("value")
        else:
            retype(field(f"evidence[{n}].certificate_number"), "S000015010004231009999")
    # A scan over the limit is refused in the page, before it is sent, in red.
    big = os.path.join(downloads, "太大的扫描件.jpg")
    with open(big, "wb") as f:
        f.truncate(41 * 1024 * 1024)
    driver.find_element(By.CSS_SELECTOR, '[data-scan="0"] input[type=file]').send_keys(big)
    wait.until(lambda d: "超过每个扫描件 40 MB" in d.find_element(
        By.CSS_SELECTOR, '[data-scan="0"] .input-note').text)
    seen["too_big_color"] = driver.find_element(
        By.CSS_SELECTOR, '[data-scan="0"] .input-note').value_of_css_property("color")
    os.remove(big)
    wait.until(lambda d: d.find_element(By.ID, "summary").text == "没有发现问题。")
    seen["clean_after_member"] = True

    # Save.
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
    seen["saved"] = True

    # Build: the zip downloads.
    driver.find_element(By.ID, "build").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#built a[href$=".zip"]'))
    seen["digest"] = driver.find_element(By.CSS_SELECTOR, "#built code").text
    # The result is said in view (the banner under the sticky header), wherever the
    # page is scrolled; the links are far below.
    rect = driver.execute_script(
        "const r = document.getElementById('banner').getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight];")
    seen["build_said_in_view"] = ("已生成" in driver.find_element(By.ID, "banner").text
                                  and rect[0] >= 0 and rect[1] <= rect[2])
    driver.find_element(By.CSS_SELECTOR, '#built a[href$=".zip"]').click()
    deadline = time.time() + 60
    while time.time() < deadline:
        done = [f for f in os.listdir(downloads) if f.endswith(".zip")]
        if done:
            seen["downloaded"] = os.path.join(downloads, done[0])
            break
        time.sleep(0.1)
    # The downloaded zip verified in the page, with the digest as printed (in groups);
    # then a copy with one byte changed.
    def verified(path, digest):
        driver.find_element(By.ID, "verify-file").send_keys(path)
        retype(driver.find_element(By.ID, "verify-digest"), digest)
        driver.execute_script("document.getElementById('verify-result').replaceChildren()")
        driver.find_element(By.ID, "verify-run").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#verify-result [data-intact]"))
        said = driver.find_element(By.CSS_SELECTOR, "#verify-result [data-intact]")
        return [said.get_attribute("data-intact"), driver.find_element(By.ID, "verify-result").text]
    seen["verified_in_page"] = verified(seen["downloaded"], seen["digest"])
    with open(seen["downloaded"], "rb") as f:
        bytes_ = bytearray(f.read())
    bytes_[len(bytes_) // 2] ^= 0x01
    tampered = os.path.join(os.path.dirname(screenshot), "改过一个字节.zip")
    with open(tampered, "wb") as f:
        f.write(bytes_)
    seen["tampered_in_page"] = verified(tampered, seen["digest"])
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(screenshot)
except Exception as e:  # say where it stopped
    import traceback
    where = [f"line {t.lineno}: {t.line}" for t in traceback.extract_tb(e.__traceback__)]
    seen["failed"] = f"{type(e).__name__}: {str(e).splitlines()[0]} at {where}"
    try:
        driver.save_screenshot(screenshot)
        seen["findings"] = driver.find_element(By.ID, "findings").text
    except Exception:
        pass
    print(json.dumps(seen, ensure_ascii=False))
    driver.quit()
    sys.exit(1)

print(json.dumps(seen, ensure_ascii=False))
driver.quit()
