"""The sandbox: copbot without a Slack account, against a local Slack stand-in.

- slack/       the Slack Web API stand-in and request signer (the tests use them too)
- workspace.py the stand-in as a Slack client sees it: ephemerals, modals, a version
- driver.py    what a person does on the page, played to copbot as signed Slack requests
- page.py      what the page shows a person (GET /sandbox/state)
- web.py       the page's routes: static files and the JSON API
- clock.py     the sandbox clock and the next scheduled post
- seed.py      the demo workspace; persist.py keeps the Slack side across restarts
- runner.py    `copbot sandbox`: all of the above and the real app, in one process
- static/      the page itself: plain HTML, CSS and JavaScript, no build step
"""
