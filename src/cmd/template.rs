//! `cunwu template [DIR]`: a workbook with one header-only sheet a kind of
//! data (Chinese column names, units in brackets), and a 说明 sheet, for
//! clerks who keep their figures in Excel or WPS (`load/sheet.rs` reads it).

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{EXIT_OK, EXIT_REFUSED};
use crate::load::sheet::{Ty, columns, sheet_name};
use crate::messages::{Lang, Msg};
use crate::model::RecordKind;

/// The template's file name.
pub const FILE: &str = "数据模板.xlsx";

/// The folder of a new portal (`cunwu init`) that holds the template: not
/// under `data/`, so nothing is read from it until the clerk copies it there.
pub const INIT_DIR: &str = "表格模板";

/// Writes the template into `dir` (made if needed).
pub fn write(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| e.to_string())
        .and_then(|()| workbook().map_err(|e| e.to_string()))
        .and_then(|bytes| std::fs::write(dir.join(FILE), bytes).map_err(|e| e.to_string()))
}

pub fn run(dir: &Path) -> i32 {
    let path = dir.join(FILE);
    let result = write(dir);
    let shown = path.display().to_string();
    match result {
        Ok(()) => {
            eprintln!("{}", Msg::TemplateWritten { path: &shown }.both());
            EXIT_OK
        }
        Err(error) => {
            eprintln!(
                "{}",
                Msg::InitCannotWrite {
                    path: &shown,
                    error: &error
                }
                .both()
            );
            EXIT_REFUSED
        }
    }
}

/// The template workbook's bytes.
pub fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let text = Format::new().set_num_format("@");
    let note = book.add_worksheet();
    note.set_name("说明")?;
    for (i, line) in Msg::TemplateNote
        .text(Lang::Zh)
        .lines()
        .chain(Msg::TemplateNote.text(Lang::En).lines())
        .enumerate()
    {
        note.write_string(i as u32, 0, line)?;
    }
    note.set_column_width(0, 100)?;
    for &(_, kind) in RecordKind::CHOICES {
        if kind == RecordKind::PrivacyAck {
            continue;
        }
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(kind))?;
        for (c, col) in columns(kind).iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, &col.names[0], &bold)?;
            ws.set_column_width(c, (col.names[0].chars().count() as f64 * 2.2).max(10.0))?;
            match col.ty {
                Ty::Amount => {
                    ws.set_column_format(c, &money)?;
                }
                Ty::Id | Ty::Str => {
                    ws.set_column_format(c, &text)?;
                }
                _ => {}
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}
