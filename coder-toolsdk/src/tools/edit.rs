//! Pure text editing for the edit tools: whitespace-tolerant search and replace, and
//! unified diffs.

/// One search-and-replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Replace<'a> {
    pub(crate) old_text: &'a str,
    pub(crate) new_text: &'a str,
    pub(crate) replace_all: bool,
}

/// Applies edits in order. Exact matches are tried first; when there is none, lines are
/// compared ignoring leading and trailing whitespace. More than one match is an error
/// unless `replace_all`.
pub(crate) fn apply_edits(content: &str, edits: &[Replace<'_>]) -> Result<String, String> {
    let mut out = content.to_owned();
    for (i, e) in edits.iter().enumerate() {
        out = apply_one(&out, e).map_err(|m| format!("edit {i}: {m}"))?;
    }
    Ok(out)
}

fn apply_one(content: &str, e: &Replace<'_>) -> Result<String, String> {
    if e.old_text.is_empty() {
        return Err("old_text must not be empty".into());
    }
    let exact = content.matches(e.old_text).count();
    if exact == 1 || (exact > 1 && e.replace_all) {
        return Ok(content.replace(e.old_text, e.new_text));
    }
    if exact > 1 {
        return Err(format!(
            "old_text matches {exact} places; add surrounding lines to make it unique, or set \
             replace_all"
        ));
    }
    // Whitespace-tolerant, line by line.
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    let wanted: Vec<&str> = e.old_text.lines().map(str::trim).collect();
    let wanted: Vec<&str> = trim_blank_edges(&wanted);
    if wanted.is_empty() {
        return Err("old_text contains only whitespace".into());
    }
    let mut starts = Vec::new();
    let mut i = 0;
    while i + wanted.len() <= lines.len() {
        let window = &lines[i..i + wanted.len()];
        if window.iter().zip(&wanted).all(|(l, w)| l.trim() == *w) {
            starts.push(i);
            i += wanted.len();
        } else {
            i += 1;
        }
    }
    match starts.len() {
        0 => Err(
            "old_text was not found in the file (even ignoring whitespace); read the \
                  file again and copy the text exactly"
                .into(),
        ),
        n if n > 1 && !e.replace_all => Err(format!(
            "old_text matches {n} places (ignoring whitespace); add surrounding lines to make \
             it unique, or set replace_all"
        )),
        _ => {
            let mut out = String::with_capacity(content.len());
            let mut next = 0;
            for s in starts {
                out.extend(lines[next..s].iter().copied());
                let last = lines[s + wanted.len() - 1];
                out.push_str(e.new_text);
                if last.ends_with('\n') && !e.new_text.ends_with('\n') {
                    out.push('\n');
                }
                next = s + wanted.len();
            }
            out.extend(lines[next..].iter().copied());
            Ok(out)
        }
    }
}

fn trim_blank_edges<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    lines[start..end.max(start)].to_vec()
}

/// Past this many compared line pairs the diff shows the changed middle as one block.
const DIFF_BUDGET: usize = 4_000_000;

/// A unified diff of two texts with three lines of context.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_ops(&a, &b);
    let mut out = format!("--- a{path}\n+++ b{path}\n");
    // Group ops into hunks.
    const CTX: usize = 3;
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    let mut idx = 0;
    while idx < changed.len() {
        let start = changed[idx].saturating_sub(CTX);
        let mut end = changed[idx] + 1;
        while idx + 1 < changed.len() && changed[idx + 1] <= end + 2 * CTX {
            idx += 1;
            end = changed[idx] + 1;
        }
        let end = (end + CTX).min(ops.len());
        let (mut a_start, mut b_start) = (None, None);
        let (mut a_len, mut b_len) = (0, 0);
        let mut body = String::new();
        for op in &ops[start..end] {
            match *op {
                Op::Same(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    a_len += 1;
                    b_len += 1;
                    push_line(&mut body, ' ', a[i]);
                }
                Op::Del(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    a_len += 1;
                    push_line(&mut body, '-', a[i]);
                }
                Op::Add(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    b_len += 1;
                    push_line(&mut body, '+', b[j]);
                }
            }
        }
        let a0 = a_start.map_or(0, |s| if a_len == 0 { s } else { s + 1 });
        let b0 = b_start.map_or(0, |s| if b_len == 0 { s } else { s + 1 });
        out.push_str(&format!("@@ -{a0},{a_len} +{b0},{b_len} @@\n"));
        out.push_str(&body);
        idx += 1;
    }
    out
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A diff step; indexes into the old and new line lists (for `Add`/`Del` the other index
/// is the position in the other list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Del(usize, usize),
    Add(usize, usize),
}

fn diff_ops(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    if am.len().saturating_mul(bm.len()) <= DIFF_BUDGET {
        // LCS table over the changed middle.
        let (n, m) = (am.len(), bm.len());
        let mut t = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                t[i * (m + 1) + j] = if am[i] == bm[j] {
                    t[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Same(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1]) {
                ops.push(Op::Del(prefix + i, prefix + j));
                i += 1;
            } else {
                ops.push(Op::Add(prefix + i, prefix + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..am.len()).map(|i| Op::Del(prefix + i, prefix)));
        ops.extend((0..bm.len()).map(|j| Op::Add(prefix + am.len(), prefix + j)));
    }
    let (ao, bo) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Same(ao + k, bo + k)));
    ops
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn r<'a>(old: &'a str, new: &'a str, all: bool) -> Replace<'a> {
        Replace {
            old_text: old,
            new_text: new,
            replace_all: all,
        }
    }

    #[test]
    fn exact_and_replace_all() {
        assert_eq!(
            apply_edits("a b c", &[r("b", "X", false)]).unwrap(),
            "a X c"
        );
        assert!(
            apply_edits("b b", &[r("b", "X", false)])
                .unwrap_err()
                .contains("2 places")
        );
        assert_eq!(apply_edits("b b", &[r("b", "X", true)]).unwrap(), "X X");
        assert!(apply_edits("abc", &[r("", "X", false)]).is_err());
        assert!(
            apply_edits("abc", &[r("zzz", "X", false)])
                .unwrap_err()
                .contains("not found")
        );
    }

    #[test]
    fn whitespace_tolerant_lines() {
        let file = "fn main() {\n    let x = 1;\n    println!(\"{x}\");\n}\n";
        let out = apply_edits(
            file,
            &[r("let x = 1;\nprintln!(\"{x}\");", "    let x = 2;", false)],
        )
        .unwrap();
        assert_eq!(out, "fn main() {\n    let x = 2;\n}\n");
        let twice = "  a\nb\n  a\n";
        assert!(
            apply_edits(twice, &[r(" a ", "c", false)])
                .unwrap_err()
                .contains("2 places")
        );
        assert_eq!(
            apply_edits(twice, &[r("a  ", "c", true)]).unwrap(),
            "c\nb\nc\n"
        );
    }

    #[test]
    fn edits_apply_in_order() {
        let out = apply_edits(
            "one two",
            &[r("one", "1", false), r("1 two", "done", false)],
        )
        .unwrap();
        assert_eq!(out, "done");
    }

    #[test]
    fn diffs() {
        assert_eq!(unified_diff("/f", "same\n", "same\n"), "");
        let d = unified_diff("/f", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(d, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        let d = unified_diff("/f", "", "new\n");
        assert!(d.contains("@@ -0,0 +1,1 @@\n+new\n"), "{d}");
        let old: String = (0..20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("17\n", "seventeen\n");
        let d = unified_diff("/f", &old, &new);
        assert_eq!(d.matches("@@").count(), 4, "{d}");
        let d = unified_diff("/f", "x", "y");
        assert!(d.contains("\\ No newline at end of file"));
    }

    fn rebuild(ops: &[Op], a: &[&str], b: &[&str]) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for op in ops {
            match *op {
                Op::Same(i, j) => {
                    assert_eq!(a[i], b[j]);
                    old.push_str(a[i]);
                    new.push_str(b[j]);
                }
                Op::Del(i, _) => old.push_str(a[i]),
                Op::Add(_, j) => new.push_str(b[j]),
            }
        }
        (old, new)
    }

    proptest::proptest! {
        #[test]
        fn diff_ops_rebuild_both_texts(
            old in proptest::collection::vec("[ab]{0,2}\n?", 0..30),
            new in proptest::collection::vec("[ab]{0,2}\n?", 0..30),
        ) {
            let (old, new) = (old.concat(), new.concat());
            let a: Vec<&str> = old.split_inclusive('\n').collect();
            let b: Vec<&str> = new.split_inclusive('\n').collect();
            let ops = diff_ops(&a, &b);
            proptest::prop_assert_eq!(rebuild(&ops, &a, &b), (old.clone(), new.clone()));
            let d = unified_diff("/f", &old, &new);
            proptest::prop_assert_eq!(d.is_empty(), old == new);
        }

        #[test]
        fn a_unique_exact_edit_changes_only_its_place(
            before in "[a-z \n]{0,40}", after in "[a-z \n]{0,40}", new_text in "[A-Z]{0,5}",
        ) {
            let content = format!("{before}@@MARK@@{after}");
            let out = apply_edits(&content, &[r("@@MARK@@", &new_text, false)]).unwrap();
            proptest::prop_assert_eq!(out, format!("{before}{new_text}{after}"));
        }
    }
}
