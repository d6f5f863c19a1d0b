//! Name folding: the one rule by which names, aliases and titles are matched.
//!
//! "Ḥmeimim" and "hmeimim" fold alike; so do "al-Jaulani" and "Jaulani": case and
//! accents are dropped, an Arabic article prefix (al-, el-, ad-, ash-, …) is ignored,
//! apostrophes vanish ("Hay'at" → "hayat") and other punctuation becomes a space.
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Arabic definite-article spellings, including the sun-letter assimilations.
const ARTICLES: &[&str] = &[
    "al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ul",
];

/// Folds `text` to its matching key: lowercase ASCII-ish words separated by one space.
pub fn fold(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            '\'' | '’' | '‘' | 'ʼ' | 'ʿ' | 'ʾ' | '`' | '´' => {}
            c if c.is_alphanumeric() => plain.extend(c.to_lowercase()),
            '-' => plain.push('-'),
            _ => plain.push(' '),
        }
    }
    plain
        .split_whitespace()
        .filter_map(|word| {
            let word = match word.split_once('-') {
                Some((article, rest))
                    if ARTICLES.contains(&article) && rest.starts_with(char::is_alphabetic) =>
                {
                    rest
                }
                _ => word,
            };
            let word = word.trim_matches('-').replace('-', " ");
            (!word.is_empty() && word != "al" && word != "el").then_some(word)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Spellings that transliterations of the same sound disagree on, each folded to one
/// form (applied in order, longest first): "Khmeimim" and "Hmeimim" both become
/// "hmimim", "Jaulani" and "Jolani" both "julani".
const TRANSLITERATIONS: &[(&str, &str)] = &[
    ("kh", "h"),
    ("ou", "u"),
    ("oo", "u"),
    ("au", "u"),
    ("aw", "u"),
    ("ei", "i"),
    ("ey", "i"),
    ("ay", "i"),
    ("ai", "i"),
    ("ee", "i"),
    ("o", "u"),
    ("y", "i"),
    ("q", "k"),
];

/// The search terms of `text`: its folded words, each reduced to a transliteration
/// skeleton (see [`TRANSLITERATIONS`]) with doubled letters single ("Assad" → "asad").
/// Documents and queries pass through this one function, so they always agree.
pub fn search_terms(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(skeleton)
        .collect()
}

fn skeleton(word: &str) -> String {
    let mut word = word.to_owned();
    if word.chars().all(|c| c.is_ascii_alphabetic()) {
        for (from, to) in TRANSLITERATIONS {
            word = word.replace(from, to);
        }
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if !out.ends_with(c) || c.is_ascii_digit() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, search_terms};

    #[test]
    fn transliterations_share_a_skeleton() {
        assert_eq!(search_terms("Khmeimim"), search_terms("Ḥmeimim"));
        assert_eq!(search_terms("Hmeimim Air Base"), ["hmimim", "ir", "base"]);
        assert_eq!(search_terms("Zubair"), search_terms("Zubayr"));
        assert_eq!(search_terms("Humaymim"), ["humimim"]);
        assert_eq!(search_terms("al-Jaulani"), search_terms("Jolani"));
        assert_eq!(search_terms("Bashar al-Assad"), ["bashar", "asad"]);
        assert_eq!(search_terms("An-124 Ruslan"), ["an", "124", "ruslan"]);
        assert_eq!(search_terms("ТАСС"), ["тас"]);
    }

    #[test]
    fn folds_case_accents_and_articles() {
        assert_eq!(fold("Ḥmeimim"), "hmeimim");
        assert_eq!(fold("KHMEIMIM Air Base"), "khmeimim air base");
        assert_eq!(fold("Abu Muhamad al-Jaulani"), "abu muhamad jaulani");
        assert_eq!(fold("Ahmed al Sharaa"), "ahmed sharaa");
        assert_eq!(fold("Hay'at Tahrir ash-Sham"), "hayat tahrir sham");
        assert_eq!(fold("Jabal an-Nusayriyah"), "jabal nusayriyah");
        assert_eq!(fold("An-124 Ruslan"), "an 124 ruslan");
        assert_eq!(fold("  Tartus,  Syria "), "tartus syria");
    }
}
