//! The one list of record kinds a data file can hold (`[[area]]`,
//! `[[project]]`…). [`Records`] is both one data file's records and the whole
//! portal's ([`super::Portal`] derefs to it).
//!
//! Adding a kind is one line in the `records!` table below; the compiler then
//! points at every stage that must handle it: reading its tables
//! (`load/data.rs`), how its counts are published (`gate/suppress.rs`),
//! which pages its edits reach in the preview
//! (`render/affected.rs`), its download tables (`render/tables.rs`) and the
//! reference checks (`check/refs.rs`) all destructure [`Records`] or match
//! [`RecordKind`] without a catch-all. See "Adding a record kind" in
//! ARCHITECTURE.md.

use super::*;

/// Writes [`Records`], [`RecordKind`] and the methods every kind shares.
macro_rules! records {
    ( $( $(#[$meta:meta])* $field:ident: $ty:ty => $kind:ident $key:literal ),+ $(,)? ) => {
        /// Records of every kind, in the order their kinds are listed to the clerk.
        #[derive(Debug, Default, Clone)]
        pub struct Records {
            $( $(#[$meta])* pub $field: Vec<$ty>, )+
        }

        /// Records of every kind, borrowed: all of a portal's, or one file's.
        #[derive(Debug, Clone, Copy)]
        pub struct Slices<'a> {
            $( pub $field: &'a [$ty], )+
        }

        /// A kind of record: the `[[key]]` tables of a data file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RecordKind {
            $( $kind ),+
        }

        impl RecordKind {
            /// Every kind with the table name a data file writes, in order.
            pub const CHOICES: &'static [(&'static str, RecordKind)] =
                &[$( ($key, RecordKind::$kind) ),+];

            /// The table name in data files: `area` for `[[area]]`.
            pub fn key(self) -> &'static str {
                match self {
                    $( RecordKind::$kind => $key ),+
                }
            }

            /// The kind whose tables are written `[[key]]`.
            pub fn from_key(key: &str) -> Option<RecordKind> {
                match key {
                    $( $key => Some(RecordKind::$kind), )+
                    _ => None,
                }
            }
        }

        impl Records {
            /// Appends `other`'s records after these, kind by kind.
            pub fn extend(&mut self, other: Records) {
                $( self.$field.extend(other.$field); )+
            }

            /// How many records of all kinds.
            pub fn len(&self) -> usize {
                0 $( + self.$field.len() )+
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Puts `new` (one file's records) in the place of `file`'s records,
            /// kind by kind, and gives back the records it replaces. Records
            /// are kept in file order, so a file's are one run of each list.
            pub fn splice_file(&mut self, file: FileId, new: Records) -> Records {
                Records { $( $field: splice_file(&mut self.$field, file, new.$field), )+ }
            }

            /// Every record, borrowed.
            pub fn slices(&self) -> Slices<'_> {
                Slices { $( $field: &self.$field, )+ }
            }

            /// `file`'s records, borrowed.
            pub fn slices_of(&self, file: FileId) -> Slices<'_> {
                Slices { $( $field: &self.$field[file_range(&self.$field, file)], )+ }
            }

            /// Copies of `file`'s records.
            pub fn of_file(&self, file: FileId) -> Records {
                Records { $( $field: self.$field[file_range(&self.$field, file)].to_vec(), )+ }
            }

            /// Makes room for the records of every one of `files` at once:
            /// records are large, and growing the lists step by step would
            /// copy a province's records many times.
            pub fn reserve_for<'a>(&mut self, files: impl Iterator<Item = &'a Records> + Clone) {
                $( self.$field.reserve(files.clone().map(|f| f.$field.len()).sum()); )+
            }
        }
    };
}

/// A record knows the file it was read from.
pub trait InFile {
    fn file(&self) -> FileId;
}

macro_rules! in_file_by_span {
    ( $( $ty:ty ),+ ) => {
        $( impl InFile for $ty {
            fn file(&self) -> FileId {
                self.span.file
            }
        } )+
    };
}

in_file_by_span!(
    Area, Programme, Project, Progress, Relapse, Exit, Activity, Milestone, AreaYear
);

impl InFile for PrivacyAck {
    fn file(&self) -> FileId {
        self.file
    }
}

impl InFile for Page {
    fn file(&self) -> FileId {
        self.file
    }
}

/// Where `file`'s items are in `items`, which are in file order (files are
/// read in sorted order and numbered in that order, so ids ascend too).
pub fn file_range<T: InFile>(items: &[T], file: FileId) -> std::ops::Range<usize> {
    let start = items.partition_point(|r| r.file() < file);
    let end = start + items[start..].partition_point(|r| r.file() <= file);
    start..end
}

/// Puts `new` in the place of `file`'s items and gives back the ones replaced.
pub fn splice_file<T: InFile>(items: &mut Vec<T>, file: FileId, new: Vec<T>) -> Vec<T> {
    debug_assert!(
        items.is_sorted_by_key(|r| r.file()),
        "records out of file order"
    );
    let range = file_range(items, file);
    items.splice(range, new).collect()
}

records! {
    areas: Area => Area "area",
    programmes: Programme => Programme "programme",
    projects: Project => Project "project",
    progress: Progress => Progress "progress",
    relapses: Relapse => Relapse "relapse",
    exits: Exit => Exit "exit",
    activities: Activity => Activity "activity",
    milestones: Milestone => Milestone "milestone",
    /// Acknowledgements from data files (`[[privacy_ack]]`).
    acks: PrivacyAck => PrivacyAck "privacy_ack",
    /// An area's figures for one year (`[[area_year]]`).
    area_years: AreaYear => AreaYear "area_year",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_key_and_reads_back() {
        let keys: Vec<&str> = RecordKind::CHOICES.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "area",
                "programme",
                "project",
                "progress",
                "relapse",
                "exit",
                "activity",
                "milestone",
                "privacy_ack",
                "area_year"
            ]
        );
        for &(key, kind) in RecordKind::CHOICES {
            assert_eq!(kind.key(), key);
            assert_eq!(RecordKind::from_key(key), Some(kind));
        }
        assert_eq!(RecordKind::from_key("household"), None);
    }
}
