//! The domain's small values, each parsed once by the rule that makes it valid (after
//! zero2prod's `SubscriberName::parse`): a value of one of these types has passed its
//! rule. Writes from GraphQL and from bundles alike go through them (see
//! `write::validate`, which names the field when a rule is broken).
use crate::names::fold;

/// A broken rule, in words: "must be between 1 and 6 (got 7)".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule(pub String);

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn rule(text: impl Into<String>) -> Rule {
    Rule(text.into())
}

/// Names and titles: at most this many characters.
pub const MAX_NAME: usize = 500;
/// URLs: at most this many characters.
pub const MAX_URL: usize = 2_000;

fn at_most(text: &str, max: usize) -> Result<(), Rule> {
    let n = text.chars().count();
    if n > max {
        return Err(rule(format!("must be at most {max} characters (got {n})")));
    }
    Ok(())
}

/// A name or title: trimmed, not blank (nor only punctuation), at most [`MAX_NAME`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(text: &str) -> Result<Self, Rule> {
        let trimmed = text.trim();
        if trimmed.is_empty() || fold(trimmed).is_empty() {
            return Err(rule("must not be empty or blank"));
        }
        at_most(trimmed, MAX_NAME)?;
        Ok(Self(trimmed.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case (`SY`, `RU`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(code: &str) -> Result<Self, Rule> {
        let valid = code.len() == 2
            && code.bytes().all(|b| b.is_ascii_uppercase())
            && celes::Country::from_alpha2(code).is_ok();
        if !valid {
            return Err(rule(format!(
                "\"{code}\" is not an ISO 3166-1 alpha-2 country code"
            )));
        }
        Ok(Self(code.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Latitude in degrees (WGS 84), -90 to 90.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Latitude(f64);

impl Latitude {
    pub fn parse(degrees: f64) -> Result<Self, Rule> {
        if !(-90.0..=90.0).contains(&degrees) {
            return Err(rule("must be between -90 and 90"));
        }
        Ok(Self(degrees))
    }

    pub fn degrees(self) -> f64 {
        self.0
    }
}

/// Longitude in degrees (WGS 84), -180 to 180.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Longitude(f64);

impl Longitude {
    pub fn parse(degrees: f64) -> Result<Self, Rule> {
        if !(-180.0..=180.0).contains(&degrees) {
            return Err(rule("must be between -180 and 180"));
        }
        Ok(Self(degrees))
    }

    pub fn degrees(self) -> f64 {
        self.0
    }
}

/// An http(s) URL with a host, at most [`MAX_URL`] characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url(String);

impl Url {
    pub fn parse(text: &str) -> Result<Self, Rule> {
        at_most(text, MAX_URL)?;
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"));
        match rest {
            Some(rest)
                if !rest.is_empty()
                    && !rest.starts_with('/')
                    && !text.contains(char::is_whitespace) =>
            {
                Ok(Self(text.to_owned()))
            }
            _ => Err(rule(format!("\"{text}\" is not an http(s) URL"))),
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A BCP 47 language tag (`en`, `ar`, `pt-BR`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    pub fn parse(tag: &str) -> Result<Self, Rule> {
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        let valid = (2..=3).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_lowercase())
            && parts.all(|p| {
                (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !valid {
            return Err(rule(format!(
                "\"{tag}\" is not a BCP 47 language tag (en, ar, pt-BR)"
            )));
        }
        Ok(Self(tag.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Admiralty credibility of a claim: 1 (confirmed) to 6 (cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credibility(i16);

impl Credibility {
    pub fn parse(grade: i32) -> Result<Self, Rule> {
        if !(1..=6).contains(&grade) {
            return Err(rule(format!("must be between 1 and 6 (got {grade})")));
        }
        Ok(Self(grade as i16))
    }

    pub fn grade(self) -> i16 {
        self.0
    }
}

/// How sure an analyst is that an event happened, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Confidence(i32);

impl Confidence {
    pub fn parse(percent: i32) -> Result<Self, Rule> {
        if !(0..=100).contains(&percent) {
            return Err(rule(format!("must be between 0 and 100 (got {percent})")));
        }
        Ok(Self(percent))
    }

    pub fn percent(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_never_blank() {
        assert_eq!(Name::parse("  Hmeimim ").unwrap().into_inner(), "Hmeimim");
        for blank in ["", "   ", "—", " - "] {
            assert!(Name::parse(blank).is_err(), "{blank:?}");
        }
        assert!(Name::parse(&"a".repeat(MAX_NAME)).is_ok());
        let long = Name::parse(&"a".repeat(MAX_NAME + 1)).unwrap_err();
        assert_eq!(long.0, "must be at most 500 characters (got 501)");
    }

    #[test]
    fn country_codes_are_assigned_alpha2_codes() {
        assert!(CountryCode::parse("SY").is_ok());
        for bad in ["sy", "SYR", "XX", "SU", "", "S"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_are_http_with_a_host() {
        assert!(Url::parse("https://english.enabbaladi.net/x").is_ok());
        for bad in ["ftp://x", "https://", "https:///x", "http://a b", "x"] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages_are_bcp47_tags() {
        for good in ["en", "ar", "pt-BR", "zh-Hant-TW"] {
            assert!(Language::parse(good).is_ok(), "{good}");
        }
        for bad in ["EN", "e", "english", "en--GB", "en-toolongsubtag"] {
            assert!(Language::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn grades_and_percentages_keep_their_ranges() {
        assert_eq!(Credibility::parse(6).unwrap().grade(), 6);
        assert_eq!(
            Credibility::parse(0).unwrap_err().0,
            "must be between 1 and 6 (got 0)"
        );
        assert!(Confidence::parse(100).is_ok() && Confidence::parse(101).is_err());
    }

    proptest! {
        #[test]
        fn coordinates_parse_exactly_within_their_ranges(lat in -200.0f64..200.0, lon in -400.0f64..400.0) {
            prop_assert_eq!(Latitude::parse(lat).is_ok(), (-90.0..=90.0).contains(&lat));
            prop_assert_eq!(Longitude::parse(lon).is_ok(), (-180.0..=180.0).contains(&lon));
        }

        #[test]
        fn a_parsed_name_parses_again_to_itself(text in "\\PC{0,40}") {
            if let Ok(name) = Name::parse(&text) {
                let again = Name::parse(&name.clone().into_inner()).unwrap();
                prop_assert_eq!(again, name);
            }
        }
    }
}
