//! Variables and their values: participants' and documents' attributes.

use super::xml::{doc_guid, esc, esc_text, guid, var_guid};
use spor_corpus::{AttrValue, Corpus, Study};
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

/// Whether an attribute may be exported: named and not marked private.
pub(super) fn is_public(study: &Study, k: &str) -> bool {
    !study.private.contains(k) && !k.is_empty()
}

/// The project's variables, in the order they are written, with their types:
/// profession, role and the participants' attributes, then the documents'
/// attributes and kind, phase, date; each name once.
pub(super) struct Variables<'a> {
    order: Vec<&'a str>,
    types: BTreeMap<&'a str, VarType>,
}

impl<'a> Variables<'a> {
    /// The variables of a study's public attributes. The pinned ones are
    /// text; the others take the type their values allow.
    pub(super) fn new(study: &'a Study) -> Self {
        let mut order: Vec<&str> = vec!["profession", "role"];
        let pattrs: BTreeSet<&str> = study
            .speakers
            .iter()
            .flat_map(|s| s.attributes.keys())
            .map(String::as_str)
            .filter(|k| is_public(study, k))
            .collect();
        let dattrs: BTreeSet<&str> = study
            .documents
            .iter()
            .flat_map(|d| d.attributes.keys())
            .map(String::as_str)
            .filter(|k| is_public(study, k))
            .collect();
        order.extend(pattrs.iter().copied());
        order.extend(dattrs.iter().copied());
        order.extend(["kind", "phase", "date"]);
        let mut seen = BTreeSet::new();
        order.retain(|n| seen.insert(*n));
        let pinned = ["profession", "role", "kind", "phase", "date"];
        let mut values: BTreeMap<&str, Vec<&AttrValue>> = BTreeMap::new();
        let attributes = study
            .speakers
            .iter()
            .flat_map(|s| &s.attributes)
            .chain(study.documents.iter().flat_map(|d| &d.attributes));
        for (k, v) in attributes {
            values.entry(k.as_str()).or_default().push(v);
        }
        let types = order
            .iter()
            .map(|k| {
                let t = if pinned.contains(k) {
                    VarType::Text
                } else {
                    VarType::of(values.get(k).map(Vec::as_slice).unwrap_or_default())
                };
                (*k, t)
            })
            .collect();
        Variables { order, types }
    }

    /// A variable's type (text for a name that is not a variable).
    pub(super) fn ty(&self, k: &str) -> VarType {
        self.types.get(k).copied().unwrap_or(VarType::Text)
    }

    /// The `<Variables>` element.
    pub(super) fn write(&self, o: &mut String) {
        o.push_str("  <Variables>\n");
        for name in &self.order {
            let _ = writeln!(
                o,
                "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{}\"/>",
                var_guid(name),
                esc(name),
                self.ty(name).as_str()
            );
        }
        o.push_str("  </Variables>\n");
    }
}

/// A case per participant (by pseudonymous id), with the documents in which
/// the participant speaks.
pub(super) fn cases<'a>(study: &'a Study, corpus: &Corpus) -> BTreeMap<&'a str, CaseInfo> {
    let mut cases: BTreeMap<&str, CaseInfo> = BTreeMap::new();
    for s in &study.speakers {
        if s.participant.is_empty() {
            continue;
        }
        let c = cases.entry(s.participant.as_str()).or_default();
        if c.profession.is_empty() {
            c.profession = s.profession.clone();
        }
        if c.role.is_empty() {
            c.role = s.role.as_str().to_owned();
        }
        for (k, v) in &s.attributes {
            if is_public(study, k) && !v.is_null() {
                c.attributes.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    for d in &corpus.documents {
        for s in &d.segments {
            if let Some(c) = cases.get_mut(s.participant().as_str()) {
                c.documents.insert(d.meta.id.clone());
            }
        }
    }
    cases
}

/// The `<Cases>` element (nothing when there are no cases).
pub(super) fn write_cases(o: &mut String, cases: &BTreeMap<&str, CaseInfo>, vars: &Variables) {
    if cases.is_empty() {
        return;
    }
    o.push_str("  <Cases>\n");
    for (id, c) in cases {
        let _ = writeln!(
            o,
            "    <Case guid=\"{}\" name=\"{}\">",
            guid(&format!("case:{id}")),
            esc(id)
        );
        let pad = "      ";
        write_value(
            o,
            pad,
            "profession",
            &AttrValue::Text(c.profession.clone()),
            VarType::Text,
        );
        write_value(
            o,
            pad,
            "role",
            &AttrValue::Text(c.role.clone()),
            VarType::Text,
        );
        for (k, v) in &c.attributes {
            write_value(o, pad, k, v, vars.ty(k));
        }
        for d in &c.documents {
            let _ = writeln!(o, "{pad}<SourceRef targetGUID=\"{}\"/>", doc_guid(d));
        }
        o.push_str("    </Case>\n");
    }
    o.push_str("  </Cases>\n");
}
