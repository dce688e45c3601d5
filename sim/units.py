"""Time units of the model: minutes, with the calendar counted from Monday 00:00."""

SEC_PER_MIN = 60.0
MIN_PER_HOUR = 60.0
HOURS_PER_DAY = 24
MIN_PER_DAY = 1440.0
DAYS_PER_WEEK = 7
DAYS_PER_YEAR = 365.0
MIN_PER_YEAR = DAYS_PER_YEAR * MIN_PER_DAY
HOURS_PER_WEEK = 168
