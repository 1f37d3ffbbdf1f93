"""Edits the unit's name in the form and times each edit until the 申报表 preview shows
it, in the page; reads the server's memory after 10 and after 500 edits.
Usage: serve_edits.py URL SERVER_PID"""

import os
import statistics
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, pid = sys.argv[1], sys.argv[2]
options = webdriver.ChromeOptions()
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--window-size=1366,768"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_script_timeout(60)
driver.get(url)
WebDriverWait(driver, 60).until(lambda d: "王建军" in "".join(
    e.get_attribute("textContent") for e in d.find_elements(By.CSS_SELECTOR, "#pages .page-text")))

EDIT = """
const [name, done] = arguments;
const input = document.querySelector('[data-path="unit.name"] > input');
const started = performance.now();
input.value = name;
input.dispatchEvent(new Event('input', { bubbles: true }));
const shown = () => [...document.querySelectorAll('#pages .page-text')]
  .some((e) => e.textContent.includes(name));
const poll = () => (shown() ? done(performance.now() - started) : setTimeout(poll, 2));
poll();
"""


def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


times = []
rss = {}
for i in range(1, 501):
    ms = driver.execute_async_script(EDIT, f"呼和浩特市新城机械厂{i:03}")
    if i <= 50:
        times.append(ms)
    if i in (10, 500):
        rss[i] = rss_mib()
driver.quit()
times.sort()
p95 = times[int(len(times) * 0.95) - 1]
print(f"edit → updated 申报表 page, 50 edits: median {statistics.median(times):.0f} ms, "
      f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms; load average {os.getloadavg()[0]:.2f} "
      f"(1 min) on {os.cpu_count()} cores")
print(f"server RSS after 10 edits {rss[10]:.1f} MiB, after 500 edits {rss[500]:.1f} MiB "
      f"({rss[500] / rss[10]:.2f}×)")
