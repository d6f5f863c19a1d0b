//! Global ids: `Type:id`, base64url-encoded, opaque to clients. Errors name records
//! by them, so they belong to the domain; the API shows them as GraphQL `ID`s.
use crate::record::Record;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// The global id of the record of type `type_name` with row id `id`.
pub fn encode_id(type_name: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}"))
}

/// The global id of record `id` of type `R`.
pub fn global_id<R: Record>(id: i64) -> String {
    encode_id(R::TYPE, id)
}

/// The type name and row id a global id stands for; `None` when it is not one.
pub fn decode_id(text: &str) -> Option<(String, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(text.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (type_name, row) = text.split_once(':')?;
    Some((type_name.to_owned(), row.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_what_is_not_one() {
        assert_eq!(encode_id("Base", 1), "QmFzZTox");
        assert_eq!(decode_id("QmFzZTox"), Some(("Base".into(), 1)));
        for text in ["", "not an id", "QmFzZQ", "QmFzZTp4"] {
            assert_eq!(decode_id(text), None, "{text}");
        }
    }
}
