//! The OCFL 1.1 validation codes dashi reports, each with what the specification
//! requires in a few words (the full text: the spec's validation-codes table). A typo
//! in a code does not compile, and `--json` gives each code as the spec writes it.

use serde::{Serialize, Serializer};

macro_rules! codes {
    ($($code:ident => $spec:literal,)*) => {
        /// An OCFL validation code (E… a MUST, W… a SHOULD).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $spec] $code,)*
            /// Not a spec code: a file or folder of the object could not be read, so
            /// what it holds could not be judged.
            Unreadable,
            /// Not a spec code: `--expect` names no version's inventory digest.
            Expect,
            /// Not a spec code: the mutable head (community extension 0005) is laid out
            /// as the extension requires.
            MutableHead,
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &[Code] = &[$(Code::$code,)* Code::Unreadable, Code::Expect, Code::MutableHead];

            /// The code as the spec writes it (`E024`).
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                    Code::Unreadable => "IO",
                    Code::Expect => "EXPECT",
                    Code::MutableHead => "HEAD",
                }
            }

            /// What the spec requires, in short.
            pub fn spec(self) -> &'static str {
                match self {
                    $(Code::$code => $spec,)*
                    Code::Unreadable => "every file and folder of the object can be read",
                    Code::Expect => "the digest given with --expect is a version's inventory digest",
                    Code::MutableHead => "the mutable head is laid out as extension 0005 requires",
                }
            }
        }
    };
}

codes! {
    E001 => "the object root holds only the files and folders the spec names",
    E003 => "exactly one object conformance declaration in the object root",
    E006 => "the declaration is named 0=ocfl_object_ and the spec version",
    E007 => "the declaration's text is its name's value and a newline",
    E008 => "content is stored as one or more versions",
    E009 => "versions are numbered from 1",
    E010 => "version numbers are continuous, none missing",
    E011 => "zero-padded version names begin with v0",
    E012 => "every version folder uses the same naming, padded or not",
    E015 => "a version folder holds only its inventory, sidecar and content folder",
    E017 => "contentDirectory holds no slash",
    E018 => "contentDirectory is neither . nor ..",
    E019 => "contentDirectory is set in v1 and never changes",
    E023 => "every file in a content folder is in the manifest",
    E024 => "no empty folders within a content folder",
    E025 => "content is addressed by sha512 or sha256",
    E033 => "the inventory is JSON of the structure the spec gives",
    E035 => "content paths use the forward slash",
    E036 => "the inventory has id, type, digestAlgorithm and head",
    E037 => "the object id is the same in every inventory",
    E038 => "the inventory type names the spec version of the declaration",
    E040 => "head is the highest version",
    E041 => "the inventory has a manifest and a versions block",
    E042 => "content paths are relative to the object root",
    E043 => "the inventory has a versions block",
    E044 => "versions is a JSON object",
    E046 => "the versions' keys are the version folders on disk",
    E047 => "each version is a JSON object",
    E048 => "each version has created and state",
    E049 => "created is an RFC 3339 date and time",
    E050 => "every state digest is in the manifest",
    E052 => "no logical path element is ., .. or empty",
    E053 => "no logical path begins or ends with a slash",
    E054 => "a version's user has a name",
    E056 => "fixity algorithms come from the spec's list or an extension's",
    E057 => "fixity blocks have the manifest's shape",
    E058 => "every inventory has its digest sidecar",
    E059 => "the sidecar's algorithm is the inventory's digestAlgorithm",
    E060 => "the sidecar holds the inventory's digest",
    E061 => "the sidecar reads: DIGEST inventory.json",
    E063 => "the object root holds the inventory of the head version",
    E064 => "the root inventory is the same file as the head version's",
    E066 => "every earlier inventory states every version as the head does",
    E067 => "the extensions folder holds only extension folders",
    E090 => "no links in the object, only files and folders",
    E092 => "every manifest value is an array of existing content paths with that digest",
    E093 => "fixity digests match the files",
    E094 => "a version's message is a JSON string",
    E095 => "logical paths within a version are unique and none is a prefix folder of another",
    E096 => "each digest occurs once in the manifest, whatever its case",
    E097 => "each digest occurs once in a fixity block, whatever its case",
    E099 => "no content path element is ., .. or empty",
    E100 => "no content path begins or ends with a slash",
    E101 => "content paths are unique and none is a prefix folder of another",
    E102 => "the inventory has no keys the spec does not name",
    E103 => "each version conforms to the same spec version as the one before, or a later one",
    E104 => "version folders are v and the version number",
    E106 => "manifest is a JSON object",
    E107 => "every manifest digest is in some version's state",
    E111 => "fixity, when present, is a JSON object",
    W001 => "version folders are not zero-padded",
    W002 => "a version folder holds no folder but the content folder",
    W004 => "content is addressed by sha512",
    W005 => "the object id is a URI",
    W007 => "each version has a message and a user",
    W008 => "a version's user has an address",
    W009 => "the user's address is a URI",
    W010 => "every version folder holds its inventory",
    W011 => "earlier inventories give each version the same created, message and user",
    W013 => "extension folders bear registered extension names",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn ids_are_distinct_and_as_the_spec_writes_them() {
        let ids: std::collections::BTreeSet<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), Code::ALL.len());
        for code in Code::ALL
            .iter()
            .filter(|c| !matches!(c, Code::Unreadable | Code::Expect | Code::MutableHead))
        {
            let id = code.id();
            assert!(
                id.len() == 4 && (id.starts_with('E') || id.starts_with('W')),
                "{id}"
            );
            assert!(!code.spec().is_empty());
        }
    }
}
