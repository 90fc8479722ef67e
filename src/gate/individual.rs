//! Recognises data that describes one household or person: kinds such as
//! `[[household]]` and fields such as `name` or `身份证号`. The model has no
//! place for them; this only lets the loader explain *why* they are refused.

/// Kinds of records that would be a roster.
const INDIVIDUAL_KINDS: &[&str] = &[
    "household",
    "households",
    "person",
    "persons",
    "people",
    "member",
    "members",
    "resident",
    "residents",
    "family",
    "families",
    "roster",
    "register",
    "monitored",
    "monitoring_result",
    "beneficiary_list",
    "户",
    "农户",
    "住户",
    "人员",
    "成员",
    "花名册",
    "名单",
    "台账",
    "监测户",
    "监测对象",
    "贫困户",
    "边缘户",
    "家庭",
];

/// Field names that carry personal data (compared lowercase, `-` and `_` ignored).
const PERSONAL_FIELDS: &[&str] = &[
    "name_of_head",
    "householder",
    "household_head",
    "head",
    "surname",
    "given_name",
    "full_name",
    "person",
    "person_name",
    "member_name",
    "id_number",
    "idnumber",
    "id_card",
    "idcard",
    "identity",
    "citizen_id",
    "resident_id",
    "phone",
    "mobile",
    "telephone",
    "tel",
    "cellphone",
    "email",
    "address",
    "home_address",
    "bank_card",
    "bank_account",
    "card_number",
    "account",
    "income",
    "per_capita_income",
    "household_income",
    "annual_income",
    "birthday",
    "birth_date",
    "date_of_birth",
    "age",
    "gender",
    "sex",
    "risk",
    "risk_type",
    "monitoring_step",
    "姓名",
    "户主",
    "户主姓名",
    "身份证",
    "身份证号",
    "身份证号码",
    "证件号",
    "电话",
    "手机",
    "手机号",
    "联系电话",
    "住址",
    "地址",
    "家庭住址",
    "银行卡",
    "银行卡号",
    "账号",
    "收入",
    "人均收入",
    "家庭收入",
    "年收入",
    "出生日期",
    "年龄",
    "性别",
    "风险",
    "风险类型",
    "监测步骤",
];

fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_' && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when a top-level data kind would describe single households or people.
pub fn is_individual_kind(key: &str) -> bool {
    let k = normalise(key);
    INDIVIDUAL_KINDS.iter().any(|x| normalise(x) == k)
}

/// True when a field name would hold personal data.
pub fn is_personal_field(key: &str) -> bool {
    let k = normalise(key);
    PERSONAL_FIELDS.iter().any(|x| normalise(x) == k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_roster_kinds_and_personal_fields() {
        assert!(is_individual_kind("household"));
        assert!(is_individual_kind("监测户"));
        assert!(!is_individual_kind("project"));
        assert!(is_personal_field("ID_number"));
        assert!(is_personal_field("户主姓名"));
        assert!(is_personal_field("phone"));
        assert!(
            !is_personal_field("name"),
            "a project's name is not personal"
        );
        assert!(!is_personal_field("households"));
    }
}
