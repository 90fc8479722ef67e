//! The language of messages and pages, shared by the model (the portal's
//! `lang`) and the message catalogue. A leaf module: it imports nothing of the crate.

use serde::Serialize;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Reads `zh`, `zh-CN`, `en`, `en-US`...; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") {
            Some(Lang::En)
        } else {
            None
        }
    }
}
