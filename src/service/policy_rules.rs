//! The rule list every tenant policy is made of (the NDR policy, the address policy): 1
//! to [`MAX_RULES`] rules, first match wins, names unique so a decision can name its rule.
//! Each policy checks its own rules; this checks the list.

use carriers::schema::Violations;

pub const MAX_RULES: usize = 50;

/// Reads `rules` with `rule` (given each input and its pointer `/rules/{i}`), every
/// problem into `v`: a missing or empty list, too many rules, two rules of one name.
pub fn parse<I, R>(
    rules: Option<&[I]>,
    name: impl Fn(&I) -> Option<&str>,
    mut rule: impl FnMut(&I, &str, &mut Violations) -> Option<R>,
    v: &mut Violations,
) -> Vec<R> {
    let parsed = match rules {
        None => {
            v.add("/rules", "required", "a policy has 1 to 50 rules");
            Vec::new()
        }
        Some(rules) if rules.is_empty() || rules.len() > MAX_RULES => {
            v.add("/rules", "invalid_length", "a policy has 1 to 50 rules");
            Vec::new()
        }
        Some(rules) => rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| rule(r, &format!("/rules/{i}"), v))
            .collect(),
    };
    // Names as given, so a rule that is invalid otherwise still takes its name.
    let names: Vec<Option<&str>> = rules
        .into_iter()
        .flatten()
        .map(|r| name(r).map(str::trim))
        .collect();
    for (i, name) in names.iter().enumerate() {
        if let Some(name) = name.filter(|n| !n.is_empty())
            && names[..i].contains(&Some(name))
        {
            v.add(
                format!("/rules/{i}/name"),
                "duplicate_name",
                format!("another rule is named `{name}`"),
            );
        }
    }
    parsed
}
