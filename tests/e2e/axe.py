"""axe-core's WCAG 2.1 A/AA rules run on the page the browser shows."""

from __future__ import annotations

import json


def run_axe(browser, source: str) -> list[str]:
    browser.execute_script(source)
    result = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(r => done(JSON.stringify(r.violations)),
                e => done(JSON.stringify([{id: 'axe', impact: 'critical', help: String(e), nodes: []}])));
        """
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in json.loads(result)
        if v["impact"] in ("critical", "serious")
    ]
