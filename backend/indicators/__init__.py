"""The city's vital signs (數字體征): the district's indicators, their values and history,
their live samples and the simulator's forced values.

- `catalog`: the 43 indicators of Liangxi district; `curves` (with `daily`, `weather`,
  `noise`): the simulated sensors; `event_figures`: the figures computed from the events;
- `history`: the series' range and buckets; `holds`: forced values;
- `service.IndicatorService`: the use cases; `feed.IndicatorFeed`: the live samples.
"""

from .feed import IndicatorFeed
from .service import IndicatorService

__all__ = ["IndicatorFeed", "IndicatorService"]
