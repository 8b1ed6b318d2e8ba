"""Reliability: circuit breakers per source (`breakers`), retry budgets and the storm guard
(`budgets`), incidents and manual interventions (`incidents`, `alerts_sent`), one page per root
cause (`consequences`), self-diagnosis rules (`diagnosis`), service level objectives (`slo`); their
config in `config`.

Nothing is imported here: `nbaprops.config` composes `reliability.config` into the settings, and
the other modules import the settings.
"""
