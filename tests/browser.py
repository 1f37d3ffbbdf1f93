"""What the browser tests of `dashi serve` share: headless Debian Chromium through
chromedriver, a patient wait, and the form's fields by their data path."""

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def chromium(downloads=None):
    """A headless Chromium (downloads, if given, go to that folder) and its wait."""
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1366,768",
                 "--lang=zh-CN"):
        options.add_argument(flag)
    if downloads:
        options.add_experimental_option("prefs", {
            "download.default_directory": downloads,
            "download.prompt_for_download": False,
        })
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # The form is drawn again after a list changes: an element found a moment before may
    # be gone; the wait looks again.
    wait = WebDriverWait(driver, 60, poll_frequency=0.05,
                         ignored_exceptions=[StaleElementReferenceException, NoSuchElementException])
    return driver, wait


def field(driver, path, tag="input"):
    return driver.find_element(By.CSS_SELECTOR, f'[data-path="{path}"] > {tag}')


def retype(element, text):
    element.clear()
    element.send_keys(text)
