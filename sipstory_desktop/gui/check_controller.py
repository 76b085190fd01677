"""Check one, check all, watch rounds: the plan of each run from core, the user's say on
what it holds back or would overspend, its progress, and its results in the list."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.checker import CheckPlan, explain_missing_key, plan_checks
from ..core.entries import Entry
from ..core.status import CheckResult, Light
from ..core.times import utc_now
from .announce import announce
from .moments import time_text
from .questions import confirm
from .result_texts import translated
from .status_texts import status_label
from .window_context import WindowContext

SPINNER_INTERVAL_MS = 100


class CheckController(QObject):
    """Starts checks through the :class:`CheckSession` and shows what it reports.

    Signals:
        rows_changed(list): the rows of these entry ids changed (being checked, or a
            result): the details and the tray may need to follow.
        colour_changed(str, object): an entry's light changed with this result.

    When a run ends, the status bar sums it up; when the user asked for it (not a watch
    round), a screen reader is told the same (:func:`.announce.announce`).
    """

    rows_changed = Signal(list)
    colour_changed = Signal(str, object)

    def __init__(self, context: WindowContext) -> None:
        super().__init__(context.window)
        self._context = context
        self._progress = (0, 0)  # checks done and asked for in this run
        self._run_results: dict[str, CheckResult] = {}  # this run's, by entry id
        self._announce_end = False  # the user asked for this run: announce its end
        self._dropped: set[str] = set()  # entries stop() took off the queue (not checked since)
        self._spinner = QTimer(self, interval=SPINNER_INTERVAL_MS)
        self._spinner.timeout.connect(self._spin)
        session = context.session
        session.started.connect(self._started)
        session.running.connect(self._running)
        session.delivered.connect(self._delivered)
        session.progress.connect(self._noted_progress)
        session.idle.connect(self._idle)

    # --- starting --------------------------------------------------------------------------

    def check(self, entry: Entry) -> None:
        """Check one entry; after a 429, only if the user insists."""
        plan = plan_checks(self._context.model.state, [entry])
        until = plan.held_until
        if until is not None and self.confirm_despite_429(entry, until):
            plan = plan_checks(self._context.model.state, [entry], force=True)
        self._run(plan)

    def check_all(self) -> None:
        """Check every entry, except those held back after a 429; ask first when the
        checks would push an organization over its hourly limit."""
        if self._context.loader.loading:  # F5 at start: once the list is read
            self._context.loader.when_loaded(self.check_all)
            return
        entries = self._context.model.entries()
        if not entries:
            self._context.say(self.tr("Nothing to check yet: add a key first."), 5000)
            return
        plan = plan_checks(self._context.model.state, entries)
        if plan.warnings and not self._confirm_over_budget(plan):
            return
        self._run(plan)

    def check_entries(self, entries: list[Entry]) -> None:
        """Check these entries (those the keyring could not answer for, once unlocked)."""
        if entries:
            self._run(plan_checks(self._context.model.state, entries))

    def watch_round(self, entries: list[Entry]) -> int:
        """A round of watching: never a key held back after a 429 (and nothing said)."""
        return self._context.session.check(plan_checks(self._context.model.state, entries).send)

    def stop(self) -> None:
        """Stop the run: the checks waiting their turn are not sent (their rows show their
        last result again); those on their way finish, and the summary says how many
        were not checked."""
        dropped = self._context.session.stop()
        if not dropped:
            return
        self._dropped.update(dropped)
        self._context.model.show_checking(dropped)
        self.rows_changed.emit(dropped)
        if self._context.session.active:
            self._context.say(
                self.tr(
                    "Stopping: %n check(s) not sent, waiting for %s on their way…", "", len(dropped)
                )
                % len(self._context.session.checking)
            )

    def _run(self, plan: CheckPlan) -> None:
        held = self._hold_back(plan)
        session = self._context.session
        if session.check(plan.send) or session.active:
            self._announce_end = True  # at the end of the run (_idle)
        else:  # nothing sent, nothing running: no run to wait for
            self._run_results.clear()
            if held:
                announce(self._context.window, held)

    def _hold_back(self, plan: CheckPlan) -> str:
        """Show that the held entries were not checked, and until when (no request: no
        history point, nothing saved); what the status bar said ("" when none was held)."""
        if not plan.held:
            return ""
        results = [(entry.id, result) for entry, result in plan.held]
        self._context.model.set_results(results)  # shown, not recorded (State.unsent)
        self._run_results.update(results)
        self.rows_changed.emit([entry_id for entry_id, _ in results])
        text = self.tr(
            "%n key(s) held back after a 429 Too Many Requests: no request sent.", "", len(results)
        )
        self._context.say(text, 8000)
        return text

    def confirm_despite_429(self, entry: Entry, until: datetime) -> bool:
        minutes = max(1, round((until - utc_now()).total_seconds() / 60))
        return confirm(
            self._context.window,
            self.tr("Check “%s” anyway?") % entry.name,
            self.tr(
                "Sipstory answered 429 Too Many Requests for this key's organization and "
                "asked to wait until %s (in %d min). A check now may cost one of its 30 "
                "requests this hour and prolong the wait."
            )
            % (time_text(until), minutes),
            details=self.tr("Check anyway?"),
        )

    def _confirm_over_budget(self, plan: CheckPlan) -> bool:
        return confirm(
            self._context.window,
            self.tr("Check all?"),
            self.tr(
                "Checking every key now would go over Sipstory's limit of 30 requests per "
                "hour for some organizations:\n\n%s"
            )
            % "\n".join(f"• {translated(w.message)}" for w in plan.warnings),
            details=self.tr("Check all anyway?"),
        )

    # --- what the session reports -----------------------------------------------------------

    def _started(self, entry_ids: list[str]) -> None:
        self._dropped.difference_update(entry_ids)  # checked after all (F5 after Stop)
        self._context.model.show_checking(entry_ids)
        if not self._spinner.isActive():
            self._spinner.start()
        self.rows_changed.emit(entry_ids)

    def _running(self, entry_ids: list[str]) -> None:
        self._context.model.show_running(entry_ids)
        self.rows_changed.emit(entry_ids)

    def _delivered(self, results: list[tuple[str, CheckResult]]) -> None:
        model = self._context.model
        results = [(entry_id, self._explained(entry_id, result)) for entry_id, result in results]
        before = {entry_id: model.result(entry_id) for entry_id, _ in results}
        model.set_results(results)
        self._run_results.update(results)
        self._show_progress()
        for entry_id, result in results:
            previous = before[entry_id]
            if previous is not None and previous.light != result.light:
                self.colour_changed.emit(entry_id, result)
        self.rows_changed.emit([entry_id for entry_id, _ in results])

    def _explained(self, entry_id: str, result: CheckResult) -> CheckResult:
        """An entry never given a key: "no key saved yet", not "deleted by another program"."""
        entry = self._context.model.entry(entry_id)
        if entry is None:
            return result
        return explain_missing_key(self._context.model.state, entry, result)

    def _noted_progress(self, done: int, asked: int) -> None:
        """Noted for every batch; said at the start, with each batch shown, and at the end."""
        self._progress = (done, asked)
        if done == 0 or done >= asked:
            self._show_progress()

    def _show_progress(self) -> None:
        done, asked = self._progress
        if done < asked:  # the end is summed up by _idle
            self._context.say(self.tr("Checking… %d of %d done") % (done, asked))

    def _idle(self) -> None:
        self._spinner.stop()
        self._context.entries.refresh_view()
        summary = self.run_summary()
        if self._dropped:
            stopped = self.tr("Stopped: %n key(s) not checked", "", len(self._dropped))
            summary = f"{summary}. {stopped}" if summary else stopped
        self._run_results.clear()
        self._dropped.clear()
        if summary:
            self._context.say(summary, 8000)
            if self._announce_end:
                announce(self._context.window, summary)
        self._announce_end = False

    def run_summary(self) -> str:
        """ "Checked 6 keys: 1 working, 4 failing, 1 rate limited" for the run so far."""
        results = self._run_results
        if len(results) == 1:
            ((entry_id, result),) = results.items()
            entry = self._context.model.entry(entry_id)
            return self.tr("Checked “%s”: %s") % (
                entry.name if entry else entry_id,
                status_label(result.status),
            )
        lights = [result.light for result in results.values()]
        counts = (
            (lights.count(Light.GREEN), self.tr("%d working")),
            (lights.count(Light.RED), self.tr("%d failing")),
            (lights.count(Light.AMBER), self.tr("%d rate limited")),
        )
        parts = ", ".join(text % count for count, text in counts if count)
        return self.tr("Checked %d keys: %s") % (len(results), parts) if results else ""

    def _spin(self) -> None:
        self._context.model.advance_spinner(self._context.entries.visible_entry_ids())
