"""The pinned Qt binding must not corrupt reference counts (the console runs for weeks).

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method returning
void; None's count reaches zero after some hours of live updates and the process aborts
("none_dealloc"). 6.11.3 is pinned because it does not. On Python 3.12+ None is immortal and
this check holds for any binding.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QStandardItem


def test_void_calls_keep_the_reference_count_of_none(qapp):
    holder, item = QObject(), QStandardItem()
    before = sys.getrefcount(None)
    for n in range(5000):
        holder.setObjectName("probe")
        item.setText(str(n))
    assert abs(sys.getrefcount(None) - before) < 50
