"""The Liangxi scenario simulator: believable city events, bursts, team movements and the
responding units answering dispatches."""

from .generator import EventGenerator
from .runner import Simulator

__all__ = ["EventGenerator", "Simulator"]
