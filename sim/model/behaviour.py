"""Customers in motion: issues, experiences, loyalty, defection, word of mouth, acquisition.

Everyday issues and requests come from one stream for the whole population
(``sim.model.issue_stream``); incidents add their own. Daily work (billing, monthly
defection checks, acquisition) runs at midnight, driven by the organisation's clock.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable

import numpy as np
import simpy

from sim.config import CHANNELS, SEGMENTS, Config, OutreachConfig
from sim.metrics import CustomerStats
from sim.model.admission import BILLING_CYCLE_DAYS, Admissions
from sim.model.calendar import WeekCalendar
from sim.model.contact import Contact
from sim.model.customers import Population, ProblemOutcome, RetentionTally, StateTime
from sim.model.demand import DayFactors, weekly_profile
from sim.model.distributions import lognormal_params
from sim.model.events import call_later
from sim.model.experience import (
    Signals,
    encounter_satisfaction,
    experience_score,
    outcome_class,
    outreach_experience,
    pain,
    strictness,
    updated_loyalty_and_trust,
)
from sim.model.issue_stream import IssueStream
from sim.model.population_levels import recovery_summary, snapshot_levels
from sim.model.survey import Survey
from sim.model.word_of_mouth import WordOfMouth
from sim.rng import RowBlocks, Streams, row_sampler
from sim.units import MIN_PER_DAY, MIN_PER_YEAR

RETENTION_AFTER_MIN = MIN_PER_YEAR  # TARP: still a customer 12 months later?
SOCIAL = CHANNELS.index("social")
PREMIUM = SEGMENTS.index("premium")
# Where a customer answers an outreach message: by e-mail, or by calling back.
OUTREACH_REPLY_CHANNEL = {
    "email": CHANNELS.index("email"),
    "phone": CHANNELS.index("phone"),
    "both": CHANNELS.index("phone"),
}
RESOLVED_FAST = ProblemOutcome.RESOLVED_FAST  # a constant: an enum lookup per problem is slow
FOLLOW_UP_SEVERITY = 0.2  # "what does this mean for me?": a question, not a new problem

ArriveFn = Callable[..., None]


class CustomerBehaviour:
    """The population and everything customers do; the journey reports back to it."""

    def __init__(
        self,
        env: simpy.Environment,
        config: Config,
        streams: Streams,
        arrive: ArriveFn,
        calendar: WeekCalendar,
        authenticity: Callable[[], float] = lambda: 1.0,
        day_factors: DayFactors | None = None,
    ) -> None:
        self.env = env
        self.config = config
        self.cfg = config.customers
        self.market = config.market
        self.arrive = arrive
        self.calendar = calendar
        self.authenticity = authenticity  # of the culture's care, as customers believe it
        self.stats = CustomerStats()
        self.survey = Survey(self.cfg.survey, self.stats)
        segments = self.cfg.segments()
        self._revenue = np.array([s.revenue_per_month for s in segments])
        self._patience_factor = [s.patience_factor for s in segments]
        self._strictness = [
            strictness(s.expectation_multiplier, self.cfg.experience) for s in segments
        ]
        self._mix_cumulative = [
            (np.cumsum(s.channel_mix) / sum(s.channel_mix)).tolist() for s in segments
        ]
        self._set_up_draws(streams)
        retention = RetentionTally(
            len(ProblemOutcome), RETENTION_AFTER_MIN, config.horizon_days * MIN_PER_DAY
        )
        self.population = Population(int(self.cfg.population * 1.25), len(segments), retention)
        self.word_of_mouth = WordOfMouth(
            env,
            self.population,
            self.stats,
            self.cfg.word_of_mouth,
            self.cfg.acquisition.reputation_half_life_days,
            self._rngs["wom"],
        )
        loyalty_cfg = self.cfg.loyalty
        recovery = loyalty_cfg.recovery_half_life_days
        self._state_time = StateTime(
            baseline=loyalty_cfg.initial_mean,
            recovery_half_life_min=math.inf if recovery is None else recovery * MIN_PER_DAY,
            grievance_half_life_min=loyalty_cfg.grievance_half_life_days * MIN_PER_DAY,
        )
        self._issues = self._issue_stream(config, day_factors or DayFactors())
        self._churned_by_recovery_group = [0, 0, 0]
        self._last_area_min = 0.0
        self.admissions = Admissions(env, self.cfg, self.population, self._rngs, self._advance_area)
        self.admissions.admit_initial()

    def _issue_stream(self, config: Config, days: DayFactors) -> IssueStream:
        """Everyday issues and requests at each segment's rates (every day alike unless
        ``days`` vary)."""
        segments = self.cfg.segments()
        return IssueStream(
            self.env,
            self.population,
            np.array([s.issue_rate_per_year / MIN_PER_YEAR for s in segments]),
            self.cfg.requests.rate_per_year / MIN_PER_YEAR,
            weekly_profile(config.demand),
            days,
            self._rngs,
            self._candidate_rows,
            self._on_candidate,
        )

    def _set_up_draws(self, streams: Streams) -> None:
        """The customers' named streams, and their row samplers (common random numbers)."""
        stream_names = (
            "acquisition",
            "incident_draws",
            "initial",
            "issue_days",
            "issue_draws",
            "issues",
            "population",
            "unpreventable",
            "wom",
        )
        self._rngs = {name: streams.get(f"customers/{name}") for name in stream_names}
        mu, sigma = lognormal_params(self.cfg.issues.severity_mean, self.cfg.issues.severity_cv)
        draws = self._rngs["issue_draws"]
        # One row per issue candidate, used or not: (slot, acceptance, severity, contact,
        # channel, deferral). Rows align by candidate, so every configuration run with
        # the same seed gives the same customer the same problems (common random numbers).
        self._candidate_rows = RowBlocks(
            lambda n: [
                draws.random(n),
                draws.random(n),
                draws.lognormal(mu, sigma, n),
                draws.random(n),
                draws.random(n),
                draws.random(n),
            ]
        )
        incident = self._rngs["incident_draws"]
        # Incident issues and outreach draw (contact, channel, deferral) from their own
        # stream, so policies that add them leave everyday issues' draws untouched.
        self._incident_draws = row_sampler(
            lambda n: [incident.random(n), incident.random(n), incident.random(n)]
        )

    # -- population changes ---------------------------------------------------------
    def _defect(self, slot: int, unpreventable: bool = False) -> None:
        self.stats.churned_unpreventable += unpreventable
        self.stats.affected_churned += self.population.affected_of[slot]
        self.stats.premium_churned += self.population.segment_of[slot] == PREMIUM
        group = self.population.recovery_group(slot)
        if group >= 0:
            self._churned_by_recovery_group[group] += 1
        self._advance_area()
        self.population.remove(slot, self.env.now)
        self.stats.churned += 1

    def _advance_area(self) -> None:
        now, counts = self.env.now, self.population.counts
        self.stats.customer_area += sum(counts) * (now - self._last_area_min)
        self.stats.premium_area += counts[PREMIUM] * (now - self._last_area_min)
        self._last_area_min = now

    # -- issues ------------------------------------------------------------------------
    def restart_issue_stream(self) -> None:
        """(Re)start the everyday issues from now for the population's current capacity."""
        self._issues.restart()

    def _on_candidate(
        self,
        _time_min: float,
        slot: int,
        segment: int,
        request: bool,
        severity: float,
        u_contact: float,
        u_channel: float,
        u_defer: float,
    ) -> None:
        """An issue or request that passed the day's thinning (``IssueStream``)."""
        if not self.population.active_of[slot]:
            return  # the customer has left since midnight
        if not request:
            self._raise_issue(slot, segment, severity, u_contact, u_channel, u_defer)
            return
        self.stats.requests += 1
        channel = self._channel(segment, u_channel)
        severity = self.cfg.requests.severity
        self._contact(slot, segment, channel, severity, u_defer, routine=True)

    def incident_issue(self, slot: int, severity: float, informed: bool) -> None:
        """An incident's issue for this customer (told about it beforehand or not)."""
        self.stats.incident_issues += 1
        segment = self.population.segment_of[slot]
        self._raise_issue(slot, segment, severity, *self._incident_draws(), informed, True)

    def receive_outreach(self, slot: int, severity: float, outreach: OutreachConfig) -> None:
        """We reached out about an incident: apology, explanation, maybe a credit — scored
        like an encounter; and some customers contact us because of it (Gartner 2022)."""
        stats, cfg = self.stats, self.cfg.experience
        stats.outreach_contacts += 1
        stats.outreach_cost += outreach.cost_per_contact
        credit = outreach.credit + outreach.credit_per_pain * severity
        stats.outreach_credits += credit
        care = 1.0 if outreach.apology else 0.0
        score = outreach_experience(
            severity, credit / cfg.pain_value, care, self.authenticity(), outreach.explanation, cfg
        )
        pop = self.population
        pop.bring_one_up_to_date(slot, self.env.now, self._state_time)
        pop.loyalty_of[slot], pop.trust_of[slot] = updated_loyalty_and_trust(
            pop.loyalty_of[slot], pop.trust_of[slot], score, care, self.cfg.loyalty
        )
        if outreach.reconsider > 0.0 and self._reconsiders(slot, outreach.reconsider):
            stats.churned_after_outreach += 1
            self._defect(slot)
            return
        u_contact, _, u_defer = self._incident_draws()
        if u_contact < outreach.contact_back_prob:
            stats.outreach_followups += 1
            channel = OUTREACH_REPLY_CHANNEL[outreach.channel]
            self._contact(slot, pop.segment_of[slot], channel, FOLLOW_UP_SEVERITY, u_defer)

    def _raise_issue(
        self,
        slot: int,
        segment: int,
        severity: float,
        u_contact: float,
        u_channel: float,
        u_defer: float,
        informed: bool = False,
        incident: bool = False,
    ) -> None:
        """A problem: it hurts now; the customer contacts us about it, or suffers in
        silence. A customer we told about it beforehand calls less, and does not resent
        an unheard problem (``policy.outreach``)."""
        issues = self.cfg.issues
        outreach = self.config.policy.outreach
        self.stats.issues += 1
        blame = self.config.incidents.blame if incident else 1.0
        prior_failures = self._suffer(slot, severity, blame)
        p_contact = issues.contact_max * (1.0 - math.exp(-severity / issues.contact_scale))
        if incident:
            p_contact *= self.config.incidents.contact_factor
        if informed:
            self.stats.informed_issues += 1
            p_contact *= 1.0 - outreach.contact_reduction
        if u_contact >= p_contact:
            self.stats.silent_issues += 1
            told = outreach.silent_relief if informed else 0.0
            seen = self.config.incidents.visible_relief if incident else 0.0
            silent = Signals(
                severity=severity,
                contacted=False,
                prior_failures=prior_failures,
                acknowledged=1.0 - (1.0 - told) * (1.0 - seen),
                blame=blame,
            )
            self._experience(slot, silent, -1, self.env.now)
            return
        if incident:
            self.stats.incident_contacts += 1
        self._contact(slot, segment, self._channel(segment, u_channel), severity, u_defer)

    def _channel(self, segment: int, u_channel: float) -> int:
        """The channel a customer of ``segment`` uses, from the segment's mix."""
        channel = bisect_right(self._mix_cumulative[segment], u_channel)
        return min(channel, len(CHANNELS) - 1)

    def _contact(
        self,
        slot: int,
        segment: int,
        channel: int,
        severity: float,
        u_defer: float,
        routine: bool = False,
    ) -> None:
        """The customer contacts us on ``channel`` now, or when it next opens."""
        uid = self.population.uid_of[slot]
        patience = self._patience_factor[segment]
        premium = segment == PREMIUM
        mean_min = self.cfg.issues.deferral_mean_min
        delay = self.calendar.deferred_arrival_delay_min(channel, self.env.now, u_defer, mean_min)
        args = (channel, slot, uid, severity, patience, premium, routine)
        if delay <= 0.0:
            self.arrive(*args)
        else:
            call_later(self.env, delay, self.arrive, *args)

    def _suffer(self, slot: int, severity: float, blame: float) -> float:
        """The problem itself: loyalty pays its pain now (buffered by trust), before any
        handling, as far as the customer blames us; it is remembered as that much of a
        failure. Returns the customer's fading count of earlier recent problems."""
        pop = self.population
        pop.bring_one_up_to_date(slot, self.env.now, self._state_time)
        prior = pop.failures_of[slot]
        hurt = pain(severity, self.cfg.experience, blame)
        pop.loyalty_of[slot], pop.trust_of[slot] = updated_loyalty_and_trust(
            pop.loyalty_of[slot], pop.trust_of[slot], hurt, 0.0, self.cfg.loyalty, blame
        )
        pop.grievance_of[slot] -= hurt
        pop.failures_of[slot] = prior + blame
        pop.problems_of[slot] += 1
        return prior

    # -- experiences -------------------------------------------------------------------
    def expected_duration_min(self, slot: int, channel: int, now_min: float) -> float:
        """How long this customer expects an issue to take on this channel now: m · E_c(t)."""
        exp_cfg = self.cfg.expectations
        base = exp_cfg.resolution_min[channel]
        if exp_cfg.drift:
            halvings = now_min / (exp_cfg.half_life_years * MIN_PER_YEAR)
            base = max(exp_cfg.floor_min[channel], base * 0.5**halvings)
        return self.population.expectation_of[slot] * base

    def on_journey_end(self, contact: Contact, resolved: bool) -> None:
        """The journey of a contact ended; its customer scores it (if still a customer)."""
        slot, pop, now = contact.customer, self.population, self.env.now
        if pop.uid_of[slot] != contact.customer_uid:
            return  # the customer has left meanwhile
        signals = Signals(
            severity=contact.severity,
            contacted=True,
            resolved=resolved,
            duration_min=now - contact.arrival_min - contact.unfelt_min + contact.carried_min,
            expected_min=self.expected_duration_min(slot, contact.origin, now),
            effort=contact.effort,
            care=contact.care,
            authenticity=self.authenticity(),
            credit=contact.credit / self.cfg.experience.pain_value,
            deflected=contact.deflected,
            prior_failures=0.0 if contact.routine else max(0.0, pop.failures_of[slot] - 1.0),
            routine=contact.routine,
            strictness=self._strictness[pop.segment_of[slot]],
        )
        self.stats.scored_journeys += 1
        self.stats.effort_sum += signals.effort
        if contact.answered:
            self.stats.answered_journeys += 1
            self.stats.care_shown_sum += signals.care
            self.stats.care_believed_sum += signals.care * signals.authenticity
        self._experience(slot, signals, contact.channel, now)
        if pop.active_of[slot] and self._reconsiders(slot):
            self.stats.churned_after_journey += 1
            self._defect(slot)

    def _reconsiders(self, slot: int, weight: float = 1.0) -> bool:
        """An occasion to weigh the relationship (a journey's end, a message about a
        problem): the less loyal, the likelier to go; True if the customer now leaves."""
        d = self.cfg.defection
        loyalty = self.population.loyalty_of[slot]
        p = weight * self.market.alternatives * d.journey_span * (1.0 - loyalty) ** d.shape
        return self.population.add_hazard(slot, min(1.0, p))

    def _experience(self, slot: int, signals: Signals, channel: int, now_min: float) -> None:
        pop, cfg = self.population, self.cfg
        pop.bring_one_up_to_date(slot, now_min, self._state_time)
        score = experience_score(signals, cfg.experience)
        loyalty, trust = updated_loyalty_and_trust(
            pop.loyalty_of[slot],
            pop.trust_of[slot],
            score,
            signals.care,
            cfg.loyalty,
            signals.blame,
        )
        pop.loyalty_of[slot] = loyalty
        pop.trust_of[slot] = trust
        pop.grievance_of[slot] += max(0.0, -score)
        satisfaction = pop.satisfaction_of[slot]
        evaluation = encounter_satisfaction(score, cfg.experience)
        pop.satisfaction_of[slot] = satisfaction + cfg.experience.satisfaction_rate * (
            evaluation - satisfaction
        )
        if signals.contacted:
            self.survey.after_contact(signals.effort, loyalty, score)
            self._ratchet(slot, signals)
        if not signals.routine:
            self._problem_outcome(slot, signals, loyalty, score, now_min)
        if cfg.word_of_mouth.enabled:
            self.word_of_mouth.tell(score, channel == SOCIAL)

    def _problem_outcome(
        self, slot: int, signals: Signals, loyalty: float, score: float, now_min: float
    ) -> None:
        """What became of a problem (TARP's classes): recovery and retention tallies."""
        pop = self.population
        outcome = outcome_class(signals)
        if outcome != RESOLVED_FAST:
            pop.all_recovered_of[slot] = False
        self.survey.after_problem(outcome, loyalty, score)
        if pop.first_problem_of[slot] < 0:
            pop.first_problem_of[slot] = outcome
            pop.first_problem_min_of[slot] = now_min

    def _ratchet(self, slot: int, signals: Signals) -> None:
        """Faster than expected lowers the personal multiplier a little; slower never raises."""
        rate = self.cfg.expectations.ratchet_rate
        if rate > 0 and signals.duration_min < signals.expected_min:
            m = self.population.expectation_of[slot]
            shrink = rate * (1.0 - signals.duration_min / signals.expected_min)
            floor = self.cfg.expectations.multiplier_floor
            self.population.expectation_of[slot] = max(floor, m * (1.0 - shrink))

    # -- daily: billing, monthly defection, acquisition --------------------------------
    def new_day(self, day: int) -> None:
        self._bill_and_check(day % BILLING_CYCLE_DAYS)
        if self.cfg.acquisition.enabled:
            self.stats.acquired += self.admissions.acquire(self.word_of_mouth.reputation())
        self._issues.follow_capacity()  # restarted if the arrays grew

    def _bill_and_check(self, billing_day: int) -> None:
        pop, d = self.population, self.cfg.defection
        slots = np.flatnonzero(pop.active & (pop.billing_day == billing_day))
        if len(slots) == 0:
            return
        self.stats.revenue += float(self._revenue[pop.segment[slots]].sum())
        if d.unpreventable_per_year > 0.0:
            moving = pop.moves_min[slots] <= self.env.now
            for slot in slots[moving].tolist():
                self._defect(slot, unpreventable=True)
            slots = slots[~moving]
        pop.bring_up_to_date(slots, self.env.now, self._state_time)
        hazard = d.monthly_base + d.monthly_span * (1.0 - pop.loyalty[slots]) ** d.shape
        p = self.market.alternatives * hazard * (1.0 + d.grievance_weight * pop.grievance[slots])
        for slot in pop.add_hazards(slots, p).tolist():
            self._defect(slot)

    # -- levels for snapshots ----------------------------------------------------------
    def levels(self, complete: bool = True) -> dict[str, float]:
        """The population's levels now (``population_levels.snapshot_levels``)."""
        self._advance_area()
        reputation = self.word_of_mouth.reputation()
        survey = self.cfg.survey
        return snapshot_levels(
            self.population,
            self.env.now,
            self._state_time,
            reputation,
            complete,
            (survey.promoter_loyalty, survey.detractor_loyalty),
        )

    def recovery_summary(self) -> dict[str, float | int | None]:
        """The service-recovery paradox's summary keys, over the whole run."""
        return recovery_summary(self.population, self._churned_by_recovery_group)
