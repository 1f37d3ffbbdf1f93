//! The console dashi writes to. Colours go only where the console shows them: on
//! Windows the console's ANSI mode is turned on first, and where it cannot be (an old
//! console, Wine's), no colour is written. And whether dashi has a console window of
//! its own, which means it was started by a double-click in Explorer and its window
//! closes as soon as it ends.

/// Whether standard output is a console that shows ANSI colours.
pub fn shows_colours() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() && ansi_mode()
}

#[cfg(windows)]
fn ansi_mode() -> bool {
    use windows_sys::Win32::System::Console::{
        ENABLE_VIRTUAL_TERMINAL_PROCESSING, GetConsoleMode, GetStdHandle, STD_OUTPUT_HANDLE,
        SetConsoleMode,
    };
    // SAFETY: plain Win32 calls on the process's own standard output handle, with a
    // valid pointer to a local for the mode.
    unsafe {
        let handle = GetStdHandle(STD_OUTPUT_HANDLE);
        let mut mode = 0u32;
        if GetConsoleMode(handle, &mut mode) == 0 {
            return false;
        }
        mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0
            || SetConsoleMode(handle, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0
    }
}

#[cfg(not(windows))]
fn ansi_mode() -> bool {
    true
}

/// Whether the console window is dashi's alone (no shell shares it): started from
/// Explorer, not from a command prompt.
#[cfg(windows)]
pub fn own_window() -> bool {
    use windows_sys::Win32::System::Console::GetConsoleProcessList;
    let mut processes = [0u32; 2];
    // SAFETY: the buffer holds the 2 entries the call is told it may write.
    let attached = unsafe { GetConsoleProcessList(processes.as_mut_ptr(), 2) };
    attached == 1
}

#[cfg(not(windows))]
pub fn own_window() -> bool {
    false
}
