//! Variables and their values: participants' and documents' attributes.

use super::xml::{esc_text, var_guid};
use spor_corpus::AttrValue;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A variable's type, from the values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum VarType {
    Integer,
    Float,
    Text,
}

impl VarType {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            VarType::Integer => "Integer",
            VarType::Float => "Float",
            VarType::Text => "Text",
        }
    }

    pub(super) fn of(values: &[&AttrValue]) -> VarType {
        let mut t: Option<VarType> = None;
        for v in values {
            let this = match v {
                AttrValue::Null => continue,
                AttrValue::Integer(_) => VarType::Integer,
                AttrValue::Number(x) if x.is_finite() => VarType::Float,
                _ => VarType::Text,
            };
            t = Some(t.map_or(this, |t| t.max(this)));
        }
        t.unwrap_or(VarType::Text)
    }
}

/// A value as the variable's type allows, or None for an empty cell.
fn value_xml(v: &AttrValue, t: VarType) -> Option<String> {
    match (v, t) {
        (AttrValue::Null, _) => None,
        (AttrValue::Text(s), _) if s.is_empty() => None,
        (AttrValue::Integer(i), VarType::Integer) => {
            Some(format!("<IntegerValue>{i}</IntegerValue>"))
        }
        (AttrValue::Integer(i), VarType::Float) => Some(format!("<FloatValue>{i}</FloatValue>")),
        (AttrValue::Number(x), VarType::Float) if x.is_finite() => {
            Some(format!("<FloatValue>{x}</FloatValue>"))
        }
        (v, _) => Some(format!("<TextValue>{}</TextValue>", esc_text(&v.key()))),
    }
}

pub(super) fn write_value(out: &mut String, pad: &str, var: &str, v: &AttrValue, t: VarType) {
    if let Some(x) = value_xml(v, t) {
        let _ = writeln!(
            out,
            "{pad}<VariableValue>\n{pad}  <VariableRef targetGUID=\"{}\"/>\n{pad}  {x}\n{pad}</VariableValue>",
            var_guid(var)
        );
    }
}

/// The participant of a case: its profession, role and attributes (first
/// non-empty value across the participant's rows).
#[derive(Default)]
pub(super) struct CaseInfo {
    pub(super) profession: String,
    pub(super) role: String,
    pub(super) attributes: BTreeMap<String, AttrValue>,
    pub(super) documents: BTreeSet<String>,
}
