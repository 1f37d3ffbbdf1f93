//! The one integration-test binary: each module runs the real `dashi` on real files.
//! They drive Linux tools (poppler, xorriso, strace, Chromium …), so they build on Unix
//! only; dashi.exe is tested under Wine by tests/wine/run.
#![cfg(unix)]

mod architecture;
mod archive;
mod bigstudio;
mod renamed;
mod util;

mod check_cli;
mod disc;
mod docs;
mod evaluation;
mod fuzz;
mod intake;
mod layout;
mod ledger;
mod output;
mod packet;
mod render;
mod robustness;
mod room;
mod roster;
mod rules;
mod seal;
mod serve;
mod verify;
