"""The Liangxi scenario simulator: believable city events, bursts and team movements."""

from .generator import EventGenerator
from .runner import Simulator

__all__ = ["EventGenerator", "Simulator"]
