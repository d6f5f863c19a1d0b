//! STIX identifiers: deterministic ones for garrison's records, and the published ones
//! of the TLP 2.0 markings.
use crate::vocabulary::Marking;
use uuid::Uuid;

/// The namespace of garrison's UUIDv5 identifiers (itself the UUIDv5 of
/// `https://github.com/garrison` in the URL namespace), so that the same record
/// always has the same id.
const NAMESPACE: Uuid = Uuid::from_u128(0x52537d3b_fa11_5d12_83f0_3cef038fb401);

/// The extension definition that carries garrison's own types and properties (the
/// UUIDv5 of `extension-definition` in [`NAMESPACE`]).
pub const EXTENSION: &str = "extension-definition--99ef41d2-815f-5691-832e-6460a56aea51";

/// The identity (a system) that publishes [`EXTENSION`] (of `publisher`); an import
/// skips it.
pub const PUBLISHER: &str = "identity--0d8c10e3-a8a4-5f10-8bda-7408e20c0f62";

/// The extension definition of TLP 2.0 (OASIS CTI TC).
pub const TLP_2_0: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The published `marking-definition` id of a TLP 2.0 marking.
pub fn marking(marking: Marking) -> &'static str {
    match marking {
        Marking::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Marking::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Marking::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Marking::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Marking::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

/// The marking a `marking-definition` id stands for: TLP 2.0, or TLP 1.0's four as
/// their 2.0 successors (WHITE is CLEAR).
pub fn marking_of(id: &str) -> Option<Marking> {
    const TLP_1: [(&str, Marking); 4] = [
        (
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
            Marking::Clear,
        ),
        (
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
            Marking::Green,
        ),
        (
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
            Marking::Amber,
        ),
        (
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
            Marking::Red,
        ),
    ];
    use Marking::*;
    [Clear, Green, Amber, AmberStrict, Red]
        .into_iter()
        .find(|m| marking(*m) == id)
        .or_else(|| TLP_1.iter().find(|(i, _)| *i == id).map(|(_, m)| *m))
}

/// The id of the object of STIX type `stix_type` that stands for the record of
/// garrison type `record_type` with `key`. A key that is already such an id (a
/// record imported from STIX without garrison's extension) is the id itself, so that
/// the object goes back out under the id it came in with.
pub fn object(stix_type: &str, record_type: &str, key: &str) -> String {
    if is_id_of(stix_type, key) {
        return key.to_owned();
    }
    derived(stix_type, &format!("{record_type}/{key}"))
}

/// The id of an object of `stix_type` that garrison derives from `name` (a
/// relationship or note from the records it joins).
pub fn derived(stix_type: &str, name: &str) -> String {
    format!("{stix_type}--{}", Uuid::new_v5(&NAMESPACE, name.as_bytes()))
}

/// Whether `text` is a STIX id of `stix_type`.
pub fn is_id_of(stix_type: &str, text: &str) -> bool {
    text.strip_prefix(stix_type)
        .and_then(|rest| rest.strip_prefix("--"))
        .is_some_and(|uuid| Uuid::parse_str(uuid).is_ok())
}

/// The type part of a STIX id (`identity` of `identity--…`).
pub fn type_of(id: &str) -> &str {
    id.split_once("--").map_or(id, |(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_record_always_gets_the_same_id_and_a_stix_key_is_kept() {
        let a = object("identity", "Actor", "russia");
        assert_eq!(a, object("identity", "Actor", "russia"));
        assert_ne!(a, object("identity", "Source", "russia"));
        assert!(is_id_of("identity", &a));
        let foreign = "threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
        assert_eq!(object("threat-actor", "Actor", foreign), foreign);
        assert_ne!(object("identity", "Actor", foreign), foreign);
        assert_eq!(type_of(foreign), "threat-actor");
    }

    #[test]
    fn markings_go_out_as_tlp_2_and_come_in_from_either_version() {
        for m in [
            Marking::Clear,
            Marking::Green,
            Marking::Amber,
            Marking::AmberStrict,
            Marking::Red,
        ] {
            assert_eq!(marking_of(marking(m)), Some(m));
        }
        assert_eq!(
            marking_of("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
            Some(Marking::Clear)
        );
        assert_eq!(
            marking_of("marking-definition--00000000-0000-4000-8000-000000000000"),
            None
        );
    }
}
