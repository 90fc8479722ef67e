//! cunwu (村务): a static-site generator for village and township
//! transparency portals. See `ARCHITECTURE.md` for the map.

pub mod check;
pub mod cmd;
pub mod diag;
pub mod exit;
pub mod gate;
pub mod lang;
pub mod links;
pub mod load;
pub mod messages;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod print;
pub mod render;
pub mod rule;
pub mod serve;
pub mod session;
pub mod shortcode;
pub mod source;
pub mod theme;
pub mod timing;
pub mod write;
