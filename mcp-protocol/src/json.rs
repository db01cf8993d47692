//! The JSON writer behind outgoing messages: the same text as `serde_json::to_writer`,
//! with strings escaped sixteen bytes at a time.
//!
//! `serde_json` looks up every byte of every string in its escape table, about a dozen
//! instructions per byte; for a large tool result (a file, a command's output) that is
//! most of the cost of the reply. Nearly all bytes of such text need no escaping, so
//! [`to_writer`] tests sixteen at once for a quote, a backslash or a control character and
//! copies the clean runs whole. Everything that is not a string (numbers, `null`, the raw
//! JSON inside a [`RawValue`](serde_json::value::RawValue)) is written the way
//! `serde_json` writes it, by `serde_json` itself where that is simplest; the tests compare
//! the two writers byte for byte.

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::{Error, Result};

/// Appends the compact JSON text of `value` to `out`. On error `out` may hold part of it.
pub(crate) fn to_writer<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    value.serialize(&mut Json { out })
}

/// Struct names `serde_json` uses to pass text that is already JSON (a `RawValue`, or a
/// `Number` under its `arbitrary_precision` feature) through a serializer: one field,
/// whose string is written as it is.
const RAW_TOKENS: [&str; 2] = [
    "$serde_json::private::RawValue",
    "$serde_json::private::Number",
];

struct Json<'o> {
    out: &'o mut Vec<u8>,
}

impl<'o> Json<'o> {
    /// A number, formatted by `serde_json` (integers as `itoa`, floats as `ryu`, and
    /// `null` for NaN and the infinities).
    fn number<N: Serialize>(&mut self, n: N) -> Result<()> {
        serde_json::to_writer(&mut *self.out, &n)
    }

    fn compound<'s>(
        &'s mut self,
        prefix: &[u8],
        variant: Option<&str>,
        close: &'static [u8],
        raw: bool,
    ) -> Compound<'s, 'o> {
        if let Some(variant) = variant {
            self.out.push(b'{');
            write_str(self.out, variant);
            self.out.push(b':');
        }
        self.out.extend_from_slice(prefix);
        Compound {
            ser: self,
            first: true,
            close,
            raw,
        }
    }
}

impl<'s, 'o> ser::Serializer for &'s mut Json<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'s, 'o>;
    type SerializeTuple = Compound<'s, 'o>;
    type SerializeTupleStruct = Compound<'s, 'o>;
    type SerializeTupleVariant = Compound<'s, 'o>;
    type SerializeMap = Compound<'s, 'o>;
    type SerializeStruct = Compound<'s, 'o>;
    type SerializeStructVariant = Compound<'s, 'o>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.number(v)
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.number(v)
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.number(v)
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.number(v)
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        self.number(v)
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.number(v)
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.number(v)
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.number(v)
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.number(v)
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        self.number(v)
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.number(v)
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        self.number(v)
    }

    fn serialize_char(self, v: char) -> Result<()> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        // An array of numbers, as serde_json writes bytes.
        serde_json::to_writer(&mut *self.out, v)
    }

    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'s, 'o>> {
        Ok(self.compound(b"[", None, b"]", false))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'s, 'o>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'s, 'o>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'s, 'o>> {
        Ok(self.compound(b"[", Some(variant), b"]}", false))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'s, 'o>> {
        Ok(self.compound(b"{", None, b"}", false))
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'s, 'o>> {
        if RAW_TOKENS.contains(&name) {
            // No brackets: the one field writes the text itself.
            return Ok(self.compound(b"", None, b"", true));
        }
        Ok(self.compound(b"{", None, b"}", false))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'s, 'o>> {
        Ok(self.compound(b"{", Some(variant), b"}}", false))
    }
}

/// An array, object, or struct being written.
struct Compound<'s, 'o> {
    ser: &'s mut Json<'o>,
    first: bool,
    /// Written at the end: the closing bracket, and the brace of an enum variant's object.
    close: &'static [u8],
    /// A raw-JSON token struct: its one field holds the text to write.
    raw: bool,
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !self.first {
            self.ser.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.comma();
        value.serialize(&mut *self.ser)
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<()> {
        if self.raw {
            return value.serialize(Scalar {
                out: self.ser.out,
                raw: true,
            });
        }
        self.comma();
        write_str(self.ser.out, key);
        self.ser.out.push(b':');
        value.serialize(&mut *self.ser)
    }

    fn close(self) -> Result<()> {
        self.ser.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.comma();
        key.serialize(Scalar {
            out: self.ser.out,
            raw: false,
        })?;
        self.ser.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

/// A map key, or the field of a raw-JSON token struct: where only a string will do.
struct Scalar<'o> {
    out: &'o mut Vec<u8>,
    /// The raw field: its string is JSON text that serde_json made and checked, written as
    /// it is. Otherwise a key: JSON keys are strings, so numbers and booleans are quoted,
    /// as serde_json does.
    raw: bool,
}

impl Scalar<'_> {
    fn quoted<N: Serialize>(self, n: N) -> Result<()> {
        if self.raw {
            return Err(self.unexpected());
        }
        self.out.push(b'"');
        serde_json::to_writer(&mut *self.out, &n)?;
        self.out.push(b'"');
        Ok(())
    }

    fn finite_quoted<N: Serialize>(self, n: N, finite: bool) -> Result<()> {
        if finite || self.raw {
            self.quoted(n)
        } else {
            Err(ser::Error::custom("float key must be finite"))
        }
    }

    fn unexpected(&self) -> Error {
        ser::Error::custom(if self.raw {
            "expected raw JSON text"
        } else {
            "key must be a string"
        })
    }
}

impl ser::Serializer for Scalar<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        if self.raw {
            self.out.extend_from_slice(v.as_bytes());
        } else {
            write_str(self.out, v);
        }
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<()> {
        if self.raw {
            return Err(self.unexpected());
        }
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        if self.raw {
            return Err(self.unexpected());
        }
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Result<()> {
        v.serialize(self)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<()> {
        v.serialize(self)
    }

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        self.quoted(v)
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.finite_quoted(v, v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        self.finite_quoted(v, v.is_finite())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(self.unexpected())
    }

    fn serialize_none(self) -> Result<()> {
        Err(self.unexpected())
    }

    fn serialize_unit(self) -> Result<()> {
        Err(self.unexpected())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Err(self.unexpected())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(self.unexpected())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(self.unexpected())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(self.unexpected())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(self.unexpected())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(self.unexpected())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(self.unexpected())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(self.unexpected())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(self.unexpected())
    }
}

/// Writes `s` as a JSON string: quoted, with `"`, `\` and control characters escaped
/// exactly as serde_json escapes them.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let at = start + clean_run(&bytes[start..]);
        out.extend_from_slice(&bytes[start..at]);
        let Some(&byte) = bytes.get(at) else { break };
        write_escape(out, byte);
        start = at + 1;
    }
    out.push(b'"');
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The length of the prefix of `bytes` that needs no escaping.
///
/// Sixteen bytes at a time, as two words, with the usual bit trick for "some byte is
/// below n": in `(x - n * 0x0101..01) & !x & 0x8080..80` the lowest flagged byte is always
/// a true hit (a borrow only spreads upward, past it), and the lowest is all we need.
fn clean_run(bytes: &[u8]) -> usize {
    // Two words per step: the loop's own overhead then costs half as much per byte.
    let mut pairs = bytes.chunks_exact(16);
    let mut clean = 0;
    for pair in &mut pairs {
        let (low, high) = pair.split_at(8);
        let (low, high) = (word_hits(low), word_hits(high));
        if low | high != 0 {
            let first = if low != 0 {
                low.trailing_zeros()
            } else {
                64 + high.trailing_zeros()
            };
            return clean + first as usize / 8;
        }
        clean += 16;
    }
    let mut rest = pairs.remainder();
    if let Some((word, tail)) = rest.split_first_chunk::<8>() {
        let hits = word_hits(word);
        if hits != 0 {
            return clean + hits.trailing_zeros() as usize / 8;
        }
        clean += 8;
        rest = tail;
    }
    clean
        + rest
            .iter()
            .position(|&b| needs_escape(b))
            .unwrap_or(rest.len())
}

/// The high bit of each of the eight bytes that needs escaping, for the lowest such byte
/// at least (see [`clean_run`]).
fn word_hits(chunk: &[u8]) -> u64 {
    const ONES: u64 = u64::MAX / 0xff;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
    let mut word = [0; 8];
    word.copy_from_slice(chunk);
    let x = u64::from_le_bytes(word);
    (below(x, 0x20)
        | below(x ^ (ONES * u64::from(b'"')), 1)
        | below(x ^ (ONES * u64::from(b'\\')), 1))
        & (ONES << 7)
}

fn write_escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x09 => b't',
        0x0a => b'n',
        0x0c => b'f',
        0x0d => b'r',
        _ => {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::Value;
    use serde_json::value::RawValue;

    use super::*;

    fn ours<T: ?Sized + Serialize>(value: &T) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, value).expect("serializes");
        String::from_utf8(out).expect("UTF-8")
    }

    fn theirs<T: ?Sized + Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("serializes")
    }

    fn same<T: ?Sized + Serialize>(value: &T) {
        assert_eq!(ours(value), theirs(value));
    }

    #[test]
    fn every_byte_is_escaped_as_serde_json_escapes_it() {
        let all: String = (0u8..0x80).map(char::from).collect();
        same(&all);
        for c in (0u8..0x80).map(char::from) {
            same(&c);
            // At each position of a sixteen-byte step, of the eight-byte step after it,
            // and of the byte-by-byte tail (16 + 8 + 7 bytes).
            for at in 0..31 {
                let mut s = "a".repeat(30);
                s.insert(at, c);
                same(&s);
            }
        }
        same("héllo \u{2028} \u{1F600} \u{7f}");
    }

    #[test]
    fn shapes_numbers_and_enums_match_serde_json() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(i8, String),
            Struct { a: Option<f32>, b: () },
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Tuple(u16, char);
        #[derive(Serialize)]
        struct S<'a> {
            e: Vec<E>,
            unit: Unit,
            tuple: Tuple,
            #[serde(with = "serde_bytes_as_seq")]
            bytes: &'a [u8],
            empty: Vec<u8>,
            map: BTreeMap<i32, bool>,
            keys: BTreeMap<char, ()>,
            big: (i128, u128),
            floats: [f64; 6],
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            #[serde(flatten)]
            flat: BTreeMap<String, Value>,
        }
        mod serde_bytes_as_seq {
            pub(super) fn serialize<S: serde::Serializer>(
                b: &[u8],
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(b)
            }
        }
        same(&S {
            e: vec![
                E::Unit,
                E::New(7),
                E::Tuple(-1, "x\n".into()),
                E::Struct { a: None, b: () },
                E::Struct {
                    a: Some(1.5),
                    b: (),
                },
            ],
            unit: Unit,
            tuple: Tuple(65535, '"'),
            bytes: &[0, 1, 255],
            empty: vec![],
            map: [(-3, true), (4, false)].into(),
            keys: [('k', ()), ('\t', ())].into(),
            big: (i128::MIN, u128::MAX),
            floats: [0.0, -0.0, 1e300, 0.1, f64::NAN, f64::INFINITY],
            skipped: None,
            flat: [(
                "extra".to_owned(),
                serde_json::json!({"n": [1, 2.5, "three", null]}),
            )]
            .into(),
        });
    }

    #[test]
    fn raw_json_is_written_as_it_is() {
        let raw = RawValue::from_string(r#"{ "spaced" : [1, 2] }"#.to_owned()).expect("JSON");
        same(&raw);
        same(&serde_json::json!({"list": [raw]}));
    }

    #[test]
    fn keys_that_are_not_strings_fail_like_serde_json() {
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(serde_json::to_string(&map).is_err());
        assert!(to_writer(&mut Vec::new(), &map).is_err());
        let map: BTreeMap<Option<u8>, u8> = [(None, 1)].into();
        assert!(to_writer(&mut Vec::new(), &map).is_err());
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::from),
            "[\\x00-\\x7f]{0,40}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
                prop::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_value_is_written_as_serde_json_writes_it(value in arb_json()) {
            prop_assert_eq!(ours(&value), theirs(&value));
        }

        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(s in any::<String>(), ascii in "[\\x00-\\x7f]{0,64}") {
            prop_assert_eq!(ours(&s), theirs(&s));
            prop_assert_eq!(ours(&ascii), theirs(&ascii));
        }
    }
}
