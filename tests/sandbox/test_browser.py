"""The sandbox page in a real browser (Playwright driving Debian's Chromium).

Create a community, capture a message with 💡, find it with /cop search, give kudos, open
App Home, jump the clock to the digest and see it in the channel. Screenshots of each step
are saved under the test's temporary directory.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.runner import SandboxRunner

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
]
STEP_TIMEOUT_MS = 20_000
# `make screenshots` sets this to docs/screenshots: the README's pictures are this test's
README_SHOTS = {
    "sandbox.png": "#python-guild as the demo workspace starts",
    "app-home.png": "a facilitator's App Home",
    "digest.png": "the weekly digest in the channel",
}


def chromium_path() -> str | None:
    configured = os.environ.get("COP_CHROMIUM")
    for candidate in (configured, *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')"
    )
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium here: apt-get install chromium (.ci/run does it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


class Screens:
    """Numbered screenshots of the steps, for a person to look at when the test fails."""

    def __init__(self, page: Any, directory: Path) -> None:
        self.page, self.directory, self.count = page, directory, 0
        directory.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def page(browser: Any, runner: SandboxRunner) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 820})
    opened = context.new_page()
    opened.set_default_timeout(STEP_TIMEOUT_MS)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(runner.url)
    # the page has drawn the workspace (its first state arrived) before anyone types
    opened.locator("[data-testid=messages] .message").first.wait_for()
    try:
        yield opened
        assert errors == [], f"the page's JavaScript failed: {errors}"
    finally:
        context.close()


def type_in_composer(page: Any, text: str) -> None:
    composer = page.locator("[data-testid=composer]")
    composer.fill(text)
    composer.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=composer]').value === ''")


def test_a_newcomers_tour_in_the_browser(page: Any, runner: SandboxRunner, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    screens = Screens(page, tmp_path / "screens")
    you_are = page.locator("[data-testid=you-are]")
    expect(you_are).to_have_value("UPRIYA")
    you_are.select_option("ULENA")
    expect(you_are).to_have_value("ULENA")

    # Lena makes #random a community of its own
    page.locator("[data-testid=channel-link][data-channel=CRANDOM]").click()
    expect(page.locator("#channel-title")).to_contain_text("random")
    type_in_composer(page, "/cop create Coffee Club — brewing better coffee at the office")
    messages = page.locator("[data-testid=messages]")
    expect(messages).to_contain_text("Coffee Club is now a community of practice")
    screens.shot("community-created")

    # she shares a tip, and Marco saves it with 💡
    type_in_composer(page, "Grind right before brewing: ground coffee goes stale in minutes")
    tip = page.locator(".message", has_text="Grind right before brewing").first
    expect(tip).to_be_visible()
    you_are.select_option("UMARCO")
    tip = page.locator(".message", has_text="Grind right before brewing").first
    tip.hover()
    tip.locator("[data-testid=react][data-emoji=bulb]").click()
    expect(tip.locator("[data-testid=reaction][data-emoji=bulb]")).to_contain_text("1")
    confirmation = page.locator(".message.ephemeral", has_text="is now *Coffee Club* knowledge")
    expect(page.locator(".message.ephemeral").last).to_contain_text("Coffee Club")
    assert confirmation.count() == 0, "mrkdwn is rendered, not shown as asterisks"
    screens.shot("captured")

    # Sam finds it
    you_are.select_option("USAM")
    type_in_composer(page, "/cop search stale coffee")
    result = page.locator(".message.ephemeral").last
    expect(result).to_contain_text("Grind right before brewing")
    expect(page.locator(".message.ephemeral")).to_have_count(1)  # Marco's note is his alone
    screens.shot("search")

    # and thanks Lena for it
    type_in_composer(page, "/cop kudos @lena for the coffee tip")
    expect(messages).to_contain_text("gave kudos to")
    screens.shot("kudos")

    # App Home shows Sam's communities
    page.locator("[data-testid=home-link]").click()
    home = page.locator("[data-testid=home]")
    expect(home).to_contain_text("Coffee Club")
    screens.shot("app-home")

    # the clock jumps to the digest, which appears in the channel
    page.locator("[data-testid=channel-link][data-channel=CRANDOM]").click()
    digest = page.locator(".message", has_text="Coffee Club: the week in review")
    banner = page.locator("[data-testid=banner]")
    for _ in range(4):
        upcoming = page.locator("[data-testid=clock-next]").inner_text()
        page.locator("[data-testid=clock-jump]").click()
        expect(banner).to_contain_text("posted")
        page.locator("#banner-close").click()
        if "digest" in upcoming.lower():
            break
    expect(digest).to_be_visible()
    expect(digest).to_contain_text("Grind right before brewing")
    screens.shot("digest")
    assert len(list((tmp_path / "screens").glob("*.png"))) == 6


def test_a_facilitators_first_week_for_the_readme(page: Any, tmp_path: Path) -> None:
    """The pictures in the README's "Using copbot in your community", taken as Priya, who
    facilitates the demo guild: the channel, her App Home, and the week's digest."""
    from playwright.sync_api import expect

    shots = tmp_path / "readme"
    shots.mkdir()
    messages = page.locator("[data-testid=messages]")
    expect(messages).to_contain_text("This week's question")
    expect(page.locator(".message", has_text="importtime").first).to_be_visible()
    page.screenshot(path=str(shots / "sandbox.png"))

    page.locator("[data-testid=home-link]").click()
    home = page.locator("[data-testid=home]")
    expect(home).to_contain_text("Most endorsed")
    expect(home).to_contain_text("Last 7 days: 3 new snippets")
    page.screenshot(path=str(shots / "app-home.png"))

    page.locator("[data-testid=channel-link][data-channel=CPYTHONGUILD]").click()
    digest = page.locator(".message", has_text="Python Guild: the week in review")
    for _ in range(4):
        upcoming = page.locator("[data-testid=clock-next]").inner_text()
        page.locator("[data-testid=clock-jump]").click()
        expect(page.locator("[data-testid=banner]")).to_contain_text("posted")
        page.locator("#banner-close").click()
        if "digest" in upcoming.lower():
            break
    expect(digest).to_contain_text("importtime")
    expect(digest).to_contain_text("2 replies")
    digest.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "digest.png"))

    assert sorted(p.name for p in shots.iterdir()) == sorted(README_SHOTS)
    published = os.environ.get("COP_SCREENSHOTS")
    if published:  # `make screenshots`: the README's copies
        Path(published).mkdir(parents=True, exist_ok=True)
        for name in README_SHOTS:
            shutil.copyfile(shots / name, Path(published) / name)


def test_the_readme_shows_the_screenshots_this_test_takes() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((docs/screenshots/[^)]+)\)", readme))
    assert shown == {f"docs/screenshots/{name}" for name in README_SHOTS}
    for path in shown:
        assert (Path(__file__).parents[2] / path).is_file(), f"{path}: run `make screenshots`"


def test_what_people_type_is_shown_never_run(page: Any) -> None:
    from playwright.sync_api import expect

    hostile = (
        '<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> *bold* <@UPRIYA>'
    )
    type_in_composer(page, hostile)
    message = page.locator(".message", has_text="onerror").last
    expect(message).to_contain_text('<img src=x onerror="window.pwned=1">')
    expect(message.locator("strong, b").first).to_have_text("bold")
    assert message.locator("img, script").count() == 0
    assert page.evaluate("window.pwned") is None


def test_the_open_thread_stays_open_for_the_next_person(page: Any) -> None:
    from playwright.sync_api import expect

    pinning = page.locator(".message", has_text="pin dependencies").first
    pinning.locator("[data-testid=thread-link]").click()
    pane = page.locator("#thread-pane")
    expect(pane).to_contain_text("lock everything")
    page.locator("[data-testid=you-are]").select_option("USAM")
    expect(page.locator("[data-testid=you-are]")).to_have_value("USAM")
    expect(pane).to_be_visible()
    expect(pane).to_contain_text("lock everything")


def test_days_are_divided_and_times_are_the_persons(page: Any, runner: SandboxRunner) -> None:
    from playwright.sync_api import expect

    dividers = page.locator("[data-testid=day-divider]")
    expect(dividers.last).to_have_text("Today")
    tip = page.locator(".message", has_text="importtime").first
    london = tip.locator(".msg-time").inner_text()
    page.locator("[data-testid=you-are]").select_option("UJORDAN")  # New York
    tip = page.locator(".message", has_text="importtime").first
    expect(tip.locator(".msg-time")).not_to_have_text(london)

    for _ in range(3):  # jump a few days: what is said next is under its own day
        page.locator("[data-testid=clock-jump]").click()
        expect(page.locator("[data-testid=banner]")).to_contain_text("posted")
        page.locator("#banner-close").click()
    type_in_composer(page, "Back from holiday, what did I miss?")
    expect(page.locator(".message").last).to_contain_text("Back from holiday")
    expect(dividers.last).to_have_text("Today")
    assert dividers.count() >= 2, "the earlier messages are under an earlier day"
    assert "Today" not in dividers.first.inner_text()


def test_app_home_times_are_in_the_readers_timezone(page: Any) -> None:
    from playwright.sync_api import expect

    page.locator("[data-testid=you-are]").select_option("USAM")  # Lagos, an hour ahead of UTC
    page.locator("[data-testid=home-link]").click()
    card = page.locator("[data-testid=home]")
    expect(card).to_contain_text("Python Guild")
    # the guild's prompt is on Mondays at 10:00 UTC and its digest on Fridays at 16:00 UTC
    expect(card).to_contain_text(re.compile(r"Next prompt .*at 11:00 · digest .*at 17:00"))
    assert "UTC" not in card.inner_text(), "Slack's date token is rendered, not its fallback"


def test_a_link_from_an_earlier_sandbox_opens_on_the_first_person(
    page: Any, runner: SandboxRunner
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{runner.url}/#user=UGONE&channel=CGONE")
    expect(page.locator("[data-testid=you-are]")).to_have_value("UPRIYA")
    expect(page.locator("#channel-title")).to_contain_text("python-guild")
