//! What the ledger's entries say, read in order: each studio as 认定ed, its results
//! round by round, an open 整改 with its deadline, 验收, whether it is listed for 撤销,
//! and 撤销 itself. Nothing here is stored: the entries are the record.

use std::collections::BTreeMap;

use super::entry::{
    Action, Entry, MasterChange, Outcome, Payment, Received, Revocation, Round, RoundKind,
    Settings, Studio,
};
use crate::data::dates::Date;

/// One result as entered.
#[derive(Debug, Clone)]
pub struct Result {
    pub kind: RoundKind,
    pub round: String,
    pub date: Date,
    pub passed: bool,
    pub score: f64,
}

/// An open 整改 (第十二条（三）).
#[derive(Debug, Clone)]
pub struct Rectify {
    pub since: Date,
    pub deadline: Date,
    pub round: String,
    pub outcome: Outcome,
}

/// One studio as the entries leave it.
#[derive(Debug, Clone)]
pub struct StudioState {
    pub studio: Studio,
    pub results: Vec<Result>,
    /// The newest report received for each kind of round.
    pub received: BTreeMap<&'static str, (Date, Received)>,
    /// Every report received, with its round.
    pub rounds: Vec<(Round, Received)>,
    pub accepted: Option<Date>,
    pub rectify: Option<Rectify>,
    /// Still 不合格 after 整改: listed for 撤销 (第十二条（三）).
    pub for_revocation: Option<Date>,
    pub revoked: Option<(Date, Revocation)>,
    /// Funds paid (第十六条), with their dates.
    pub paid: Vec<(Date, Payment)>,
    /// A 领办人变更 received and not yet decided.
    pub pending_change: Option<(Date, MasterChange)>,
    /// Every 领办人变更 decided, with its date.
    pub changes: Vec<(Date, MasterChange)>,
}

impl StudioState {
    /// The 考核 results entered (整改复核 not counted: it completes a 考核).
    pub fn evaluations(&self) -> impl Iterator<Item = &Result> {
        self.results
            .iter()
            .filter(|r| r.kind == RoundKind::Evaluation)
    }

    /// Whether `received` was already entered in `round` (the same version, digest
    /// and findings): a round run again after an interruption enters it once.
    pub fn has_received(&self, round: &Round, received: &Received) -> bool {
        self.rounds.iter().any(|(r, had)| {
            r == round
                && had.version == received.version
                && had.digest == received.digest
                && had.findings == received.findings
        })
    }

    /// Whether the same result was already entered for `round`.
    pub fn has_result(&self, round: &Round, outcome: &Outcome) -> bool {
        self.results.iter().any(|r| {
            r.kind == round.kind
                && r.round == round.name
                && r.passed == outcome.passed
                && r.score == outcome.score
        })
    }

    /// Funds paid, in 万元.
    pub fn paid_total(&self) -> f64 {
        self.paid.iter().map(|(_, p)| p.amount).sum()
    }

    /// The newest 考核 result.
    pub fn latest_evaluation(&self) -> Option<&Result> {
        self.evaluations().last()
    }

    /// Its status in words, as every list shows it.
    pub fn status(&self) -> String {
        if let Some((date, r)) = &self.revoked {
            return format!("已撤销（{}，{}）", date, r.case.words());
        }
        if self.for_revocation.is_some() {
            return "整改后仍不合格，列入撤销".into();
        }
        if let Some(r) = &self.rectify {
            return format!("整改中（期限 {}）", r.deadline);
        }
        if self.accepted.is_some() {
            return "验收合格".into();
        }
        "建设中".into()
    }
}

/// The whole ledger.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub settings: Settings,
    pub studios: BTreeMap<String, StudioState>,
}

impl State {
    /// Reads `entries` in order.
    pub fn of(entries: &[Entry]) -> State {
        let mut state = State::default();
        for entry in entries {
            state.apply(entry);
        }
        state
    }

    fn apply(&mut self, entry: &Entry) {
        match &entry.action {
            Action::Settings(s) => self.settings = s.clone(),
            Action::Recognised { studios, .. } => {
                for s in studios {
                    self.studios.insert(
                        s.id.clone(),
                        StudioState {
                            studio: s.clone(),
                            results: Vec::new(),
                            received: BTreeMap::new(),
                            rounds: Vec::new(),
                            accepted: None,
                            rectify: None,
                            for_revocation: None,
                            revoked: None,
                            paid: Vec::new(),
                            pending_change: None,
                            changes: Vec::new(),
                        },
                    );
                }
            }
            Action::Received { round, reports } => {
                for r in reports {
                    if let Some(s) = self.studios.get_mut(&r.studio) {
                        s.received
                            .insert(round.kind.name(), (entry.date, r.clone()));
                        s.rounds.push((round.clone(), r.clone()));
                    }
                }
            }
            Action::Results { round, results } => {
                for o in results {
                    let Some(s) = self.studios.get_mut(&o.studio) else {
                        continue;
                    };
                    s.results.push(Result {
                        kind: round.kind,
                        round: round.name.clone(),
                        date: entry.date,
                        passed: o.passed,
                        score: o.score,
                    });
                    match (round.kind, o.passed) {
                        (RoundKind::Review, passed) => {
                            s.rectify = None;
                            if !passed {
                                s.for_revocation = Some(entry.date);
                            }
                        }
                        (RoundKind::Acceptance, true) => s.accepted = Some(entry.date),
                        (_, true) => {}
                        (_, false) => {
                            s.rectify = o.deadline.map(|deadline| Rectify {
                                since: entry.date,
                                deadline,
                                round: round.name.clone(),
                                outcome: o.clone(),
                            });
                        }
                    }
                }
            }
            Action::MasterChanged(c) => {
                if let Some(s) = self.studios.get_mut(&c.studio) {
                    match c.approved {
                        None => s.pending_change = Some((entry.date, c.clone())),
                        Some(approved) => {
                            s.pending_change = None;
                            if approved {
                                s.studio.master = c.new_master.clone();
                                s.studio.name = c.new_name.clone();
                            }
                            s.changes.push((entry.date, c.clone()));
                        }
                    }
                }
            }
            Action::Paid(p) => {
                if let Some(s) = self.studios.get_mut(&p.studio) {
                    s.paid.push((entry.date, p.clone()));
                }
            }
            Action::Revoked(r) => {
                if let Some(s) = self.studios.get_mut(&r.studio) {
                    s.revoked = Some((entry.date, r.clone()));
                    s.rectify = None;
                }
            }
        }
    }

    /// The studios not 撤销ed.
    pub fn active(&self) -> impl Iterator<Item = &StudioState> {
        self.studios.values().filter(|s| s.revoked.is_none())
    }
}
