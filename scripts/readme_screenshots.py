"""Take the README's start-page screenshots (docs/screenshots/start-*.png) from a served demo.

Run `make run` in one terminal, then: `.venv/bin/python scripts/readme_screenshots.py`
(`--base-url` for another address). Debian's Chromium is used; no browser is downloaded.
"""

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portfolio.demo.content import DEMO_PASSWORD  # noqa: E402

# The README's table: one start page per role, at the width the issue asks for.
START_PAGES = {
    "kd.bengtsfors": "start-kd-bengtsfors",
    "programledare": "start-programledare",
    "itchef": "start-itchef",
    "initiativagare": "start-initiativagare",
    "samordnare": "start-samordnare",
    "lasare": "start-lasare",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium saknas: apt-get install chromium")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="sv-SE")
        for username, filename in START_PAGES.items():
            page.context.clear_cookies()
            page.goto(f"{args.base_url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.get_by_role("button", name="Logga in").click()
            page.wait_for_load_state()
            if "/login/" in page.url:
                sys.exit(f"{username} kunde inte logga in")
            page.screenshot(path=str(out / f"{filename}.png"))
            print(out / f"{filename}.png")
        browser.close()


if __name__ == "__main__":
    main()
