//! The one integration-test binary: each module runs the real `dashi` on real files.

mod archive;
mod bigstudio;
mod util;

mod check_cli;
mod disc;
mod docs;
mod evaluation;
mod intake;
mod layout;
mod output;
mod packet;
mod render;
mod robustness;
mod rules;
mod seal;
mod serve;
mod verify;
