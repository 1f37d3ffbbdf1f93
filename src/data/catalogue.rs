//! The order of the evidence catalogue (第八条): the unit's papers first, then the
//! master's, then each member's in the order of the member list; within one holder,
//! by kind. The evidence volume, the bag's file names, the intake and the web form all
//! number the evidence this way.

use super::model::{Application, Evidence, Owner};

/// The indices of `app.evidence` in catalogue order: item `n` (1-based) of the
/// catalogue, and the bag file `NN-…`, is `app.evidence[order(app)[n - 1]]`.
pub fn order(app: &Application) -> Vec<usize> {
    let mut ordered: Vec<(usize, u8, usize)> = app
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| (holder_rank(app, e), e.kind.order(), i))
        .collect();
    ordered.sort_unstable();
    ordered.into_iter().map(|(_, _, index)| index).collect()
}

fn holder_rank(app: &Application, e: &Evidence) -> usize {
    match e.owner {
        Owner::Unit => 0,
        Owner::Master => 1,
        Owner::Member => {
            let name = e.member.as_deref().unwrap_or("").trim();
            2 + app
                .members
                .iter()
                .position(|m| m.name.trim() == name)
                .unwrap_or(app.members.len())
        }
    }
}
