"""What the user did wrong (CopError) and the app-wide error handler."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt.kwargs_injection.args import Args
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.inbox import request_key, settle
from bot.private import tell_requester
from bot.worker import ANSWER, Answer

SOMETHING_WENT_WRONG = (
    ":warning: Sorry, something went wrong on copbot's side and nothing was changed. "
    "Please try again in a moment; if it keeps happening, tell your workspace admin."
)
SLACK_FAILED = (
    ":warning: Slack didn't accept what copbot tried to do (`{error}`), so it isn't done. "
    "Please try again in a moment."
)
WILL_FINISH = (
    ":hourglass_flowing_sand: copbot's database stumbled while doing this. copbot will finish "
    "it in a few minutes and answer here: there's no need to run it again."
)
EXPIRED_FORM = (
    ":warning: copbot took too long to open the form (Slack allows 3 seconds). Please try again."
)


class CopError(Exception):
    """A problem with what the user asked for; `reason` is shown to them as it is, and
    `in_form` instead under a form's field (plain words, no commands to type) when the
    reason names a command."""

    def __init__(self, reason: str, *, in_form: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.in_form = in_form


def handle_error(error: Exception, body: dict[str, Any], client: WebClient, logger: Logger) -> None:
    """Tell the user what went wrong: their mistake in plain words, our bug with a traceback."""
    if isinstance(error, CopError):
        logger.info("refused: %s", error.reason)
        tell_requester(body, client, f":information_source: {error.reason}", logger)
        return
    if isinstance(error, SlackApiError):
        # Slack refused a call after the client's retries: worth a line, not a traceback.
        code = error.response.get("error")
        logger.warning("Slack API error: %s", code or error)
        if body.get("type") != "event_callback":  # an event is nobody's request to retry
            # a form opened too late (a slow moment, or the request done again after a crash)
            text = EXPIRED_FORM if code == "expired_trigger_id" else SLACK_FAILED.format(error=code)
            tell_requester(body, client, text, logger)
        return
    logger.exception("unhandled error in a listener", exc_info=error)
    tell_requester(body, client, SOMETHING_WENT_WRONG, logger)


# Every name Bolt can inject into a listener (slack_bolt/kwargs_injection/args.py).
INJECTABLE = (frozenset(inspect.signature(Args.__init__).parameters) - {"self", "kwargs"}) | {
    "request",  # Args takes them as req and resp, and offers both names
    "response",
}


def guarded(listener: Callable[..., Any]) -> Callable[[Args], None]:
    """Wrap a listener so that any error it raises goes through `handle_error` inside it.

    Bolt's threaded runner resets an already-sent ack() to None when the listener raises after
    it (slack_bolt/listener/thread_runner.py), so a quick CopError after ack() made Bolt answer
    Slack 404 three seconds later. Handling the error inside the listener keeps the ack intact.
    The wrapped function stays plain and importable, and gets whatever of Bolt's arguments it
    names (`args: Args` carries them all). A form's `ack` also hands its answer to the request
    thread waiting for it (bot.worker.Answer). Afterwards the inbox learns the work was handled
    (bot.inbox.settle), or, when the database failed, that it is to be handled again.

    Raises:
        TypeError: at registration, when the listener asks for something Bolt never injects.
    """
    wanted = tuple(inspect.signature(listener).parameters)
    unknown = sorted(set(wanted) - INJECTABLE)
    if unknown:
        raise TypeError(f"{listener.__name__} asks for {unknown}, which Bolt does not inject")

    def run(args: Args) -> None:
        given = {name: getattr(args, name) for name in wanted}
        answer = args.context.get(ANSWER)
        if "ack" in given and isinstance(answer, Answer):
            given["ack"] = _Answering(args.ack, answer)
        try:
            listener(**given)
        except Exception as error:  # every error reaches handle_error, which logs our bugs in full
            if args.ack is not None and getattr(args.ack, "response", None) is None:
                args.ack()
            if settle(args.context, error):
                # the database failed: the work is done again, nobody need retry; a person
                # waiting on a command or a button hears that it will be
                if request_key(args.body):
                    tell_requester(args.body, args.client, WILL_FINISH, args.logger)
                return
            handle_error(error, args.body, args.client, args.logger)
            return
        settle(args.context)

    run.__name__ = run.__qualname__ = listener.__name__
    run.__doc__ = listener.__doc__
    return run


class _Answering:
    """A form listener's ack(): Bolt's, whose answer also goes at once to the request thread
    that waits for it (the listener goes on with its work after)."""

    def __init__(self, ack: Any, answer: Answer) -> None:
        self._ack = ack
        self._answer = answer

    @property
    def response(self) -> Any:
        return getattr(self._ack, "response", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        response = self._ack(*args, **kwargs)
        self._answer.give(response)
        return response
