//! The process's exit codes, shared by the commands and the preview server.
//! A leaf module: it imports nothing of the crate.

/// Exit codes: 0 ok, 1 the checker or the privacy gate refused, 2 usage error.
pub const EXIT_OK: i32 = 0;
pub const EXIT_REFUSED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
