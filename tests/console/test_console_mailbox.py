"""The mailbox between the live thread and the GUI thread: nothing lost, nothing repeated, in
order, one drain scheduled at a time, bounded drains, and a live thread held back (not memory
growing) when the GUI falls behind."""

from __future__ import annotations

import threading
import time

from console.mailbox import BatchMailbox


class ManualLoop:
    """Stands in for the GUI thread's event loop: scheduled calls run when the test says."""

    def __init__(self) -> None:
        self.calls: list = []
        self.lock = threading.Lock()

    def schedule(self, fn) -> None:
        with self.lock:
            self.calls.append(fn)

    def run(self) -> int:
        with self.lock:
            due, self.calls = self.calls, []
        for fn in due:
            fn()
        return len(due)


def test_batches_are_coalesced_and_delivered_in_order():
    loop, applied = ManualLoop(), []
    mailbox = BatchMailbox(loop.schedule, applied.append)
    for start in range(0, 100, 10):
        mailbox.put(list(range(start, start + 10)))
    assert len(loop.calls) == 1  # one drain scheduled, however many batches came
    loop.run()
    assert applied == [list(range(100))]
    assert mailbox.waiting == 0 and loop.calls == []


def test_a_drain_takes_what_fits_its_budget_and_schedules_the_rest():
    loop, applied = ManualLoop(), []

    def slow_apply(batch):
        time.sleep(0.00005 * len(batch))  # 50 µs a message
        applied.append(batch)

    mailbox = BatchMailbox(loop.schedule, slow_apply, budget=0.01, min_take=50)
    mailbox.put(list(range(5000)))
    while loop.run():
        pass
    assert [m for batch in applied for m in batch] == list(range(5000))
    # Once the cost is measured (a few drains), drains hold about budget / cost messages.
    assert max(len(batch) for batch in applied[5:]) <= 400
    assert len(applied) > 10


def test_the_live_thread_is_held_back_when_the_gui_falls_behind():
    loop, applied = ManualLoop(), []
    mailbox = BatchMailbox(loop.schedule, applied.append, high_water=1000)
    mailbox.put(list(range(1000)))
    done = threading.Event()

    def live_thread():
        mailbox.put(list(range(1000, 1100)))
        done.set()

    thread = threading.Thread(target=live_thread)
    thread.start()
    assert not done.wait(0.5)  # waiting for room
    loop.run()
    assert done.wait(2)
    thread.join()
    while loop.run():
        pass
    assert [m for batch in applied for m in batch] == list(range(1100))


def test_close_releases_a_waiting_live_thread_and_drops_the_rest():
    loop, applied = ManualLoop(), []
    mailbox = BatchMailbox(loop.schedule, applied.append, high_water=10)
    mailbox.put(list(range(10)))
    thread = threading.Thread(target=mailbox.put, args=([99],))
    thread.start()
    time.sleep(0.1)
    mailbox.close()
    thread.join(2)
    assert not thread.is_alive()
    loop.run()
    assert applied == [] and mailbox.waiting == 0


def test_the_live_thread_waits_while_a_drain_runs():
    """Both threads need the interpreter lock: the feed pauses while the GUI applies a batch."""
    loop, order = ManualLoop(), []
    started, finish = threading.Event(), threading.Event()

    def apply(batch):
        order.append(("apply", len(batch)))
        started.set()
        finish.wait(2)

    mailbox = BatchMailbox(loop.schedule, apply)
    mailbox.put([1, 2, 3])
    gui = threading.Thread(target=loop.run)
    gui.start()
    assert started.wait(2)
    live = threading.Thread(target=lambda: (mailbox.put([4]), order.append(("put", 1))))
    live.start()
    time.sleep(0.1)
    assert order == [("apply", 3)]  # the put is still waiting
    finish.set()
    gui.join(2)
    live.join(2)
    assert order == [("apply", 3), ("put", 1)]
    assert mailbox.waiting == 1
