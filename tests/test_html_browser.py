"""The HTML report in a real headless browser (Debian's chromium and chromedriver, driven by selenium)."""

import copy
import json
import shutil

import pytest

from aligner.render.html import render_html
from aligner.result import from_dict
from aligner.summary import summarise
from tests.conftest import FIXTURE
from tests.test_html import HOSTILE

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install 'selenium>=4.20')")
if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
    pytest.skip(f"no {CHROMIUM} or {CHROMEDRIVER} (apt-get install chromium chromium-driver)", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()


def example() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def open_page(browser, tmp_path):
    """Write the page of a result to a file and open it; returns the browser."""

    def _open(data: dict, **kw):
        path = tmp_path / "report.html"
        path.write_text(render_html(summarise(from_dict(copy.deepcopy(data))), **kw), encoding="utf-8")
        browser.get_log("browser")  # nothing from an earlier page counts
        browser.get(path.as_uri())
        return browser

    return _open


def errors(browser) -> list:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def classes(el) -> set[str]:
    return set((el.get_attribute("class") or "").split())


def in_view(browser, el) -> bool:
    return browser.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;", el
    )


def test_the_examples_page_loads_without_errors_with_one_line_per_link(open_page):
    browser = open_page(example())
    assert browser.title == "Parallel English summary: [1] vi, [2] id"
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-link]")) == len(example()["links"]) == 2
    assert browser.find_element(By.ID, "map").find_element(By.TAG_NAME, "svg").size["width"] > 300
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0  # nothing fetched
    assert errors(browser) == []


def test_dark_scheme_and_print_layout(open_page):
    browser = open_page(example())
    background = "return getComputedStyle(document.body).backgroundColor"
    stats = "return getComputedStyle(document.querySelector('.stats')).display"
    assert browser.execute_script(background) == "rgb(247, 246, 242)"
    try:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        assert browser.execute_script(background) == "rgb(21, 23, 27)"
        assert browser.execute_script(stats) == "flex"
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        assert browser.execute_script(stats) == "none"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})


def test_hovering_a_sentence_lights_its_partners_and_the_matched_part(open_page):
    browser = open_page(example())
    sentence, partner, other = (browser.find_element(By.ID, i) for i in ("a1-s1", "a0-s5", "a0-s8"))
    ActionChains(browser).move_to_element(sentence).perform()
    assert "partner" in classes(partner) and "partner" not in classes(other)
    lit = browser.find_elements(By.CSS_SELECTOR, ".column .part.on")
    assert "".join(p.get_attribute("textContent") for p in lit if p.find_element(By.XPATH, "./ancestor::p").get_attribute("id") == "a0-s5") == (
        "but those talks stalled, with a senior US official publicly expressing frustration at China's response."
    )
    assert "".join(p.get_attribute("textContent") for p in lit if p.find_element(By.XPATH, "./ancestor::p").get_attribute("id") == "a1-s1") == (
        "Since then, US officials have expressed frustration"
    )
    assert [l.get_attribute("data-link") for l in browser.find_elements(By.CSS_SELECTOR, "[data-link].hl")] == ["0"]
    # moving away puts everything back
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h1")).perform()
    assert "partner" not in classes(partner) and browser.find_elements(By.CSS_SELECTOR, ".column .part.on, .hl") == []
    assert errors(browser) == []


def test_tabbing_to_a_sentence_lights_its_partners(open_page):
    browser = open_page(example())
    browser.execute_script("document.getElementById('a0-s7').focus()")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "a0-s8"
    assert "partner" in classes(browser.find_element(By.ID, "a1-s2"))


def test_clicking_a_map_line_scrolls_to_its_fact_and_focuses_it(open_page):
    browser = open_page(example())
    line = browser.find_element(By.CSS_SELECTOR, '[data-link="1"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", line)
    fact = browser.find_element(By.ID, "fact-0")
    assert not in_view(browser, fact)
    line.click()
    assert browser.switch_to.active_element == fact
    assert in_view(browser, fact)
    assert "Pentagon said in October" in fact.text
    assert errors(browser) == []


def test_tab_to_a_map_line_and_enter_scrolls_to_its_fact(open_page):
    browser = open_page(example())
    browser.execute_script("window.scrollTo(0, 0)")
    # Tab from the last link before the map (in the discrepancies table) reaches the first line
    browser.execute_script("var a = document.querySelectorAll('#conflicts a'); a[a.length - 1].focus()")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.get_attribute("data-link") == "0"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    fact = browser.find_element(By.ID, "fact-1")
    assert browser.switch_to.active_element == fact and in_view(browser, fact)


@pytest.mark.parametrize("where", ["english", "text", "path"])
def test_hostile_text_runs_no_script(open_page, where):
    data = example()
    data["articles"][1]["sentences"][2]["english" if where == "english" else "text"] = HOSTILE.replace("alert", "window.__pwned=")
    if where == "path":
        data["articles"][1]["path"] = HOSTILE.replace("alert", "window.__pwned=")
    browser = open_page(data, show_source=True)
    for el in browser.find_elements(By.CSS_SELECTOR, "#a1-s2, [data-link]"):  # hover what holds the text
        ActionChains(browser).move_to_element(el).perform()
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return document.scripts.length") == 1
    assert "<script>window.__pwned=(1)</script>" in browser.find_element(By.TAG_NAME, "body").text
    assert errors(browser) == []
