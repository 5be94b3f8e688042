//! Git blob ids: how a file's content is named in git, and so in the parse cache, in
//! `--changed-since` and in alignment records. Computed from the bytes the reader gave, never
//! from the working tree behind its back.

/// A git blob id (SHA-1).
pub(crate) type BlobId = [u8; 20];

/// The git blob id of `bytes`, as git computes it for a file with this content.
pub(crate) fn blob_id(bytes: &[u8]) -> Option<BlobId> {
    let oid = git2::Oid::hash_object(git2::ObjectType::Blob, bytes).ok()?;
    oid.as_bytes().try_into().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_id_is_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        let id = super::blob_id(b"hello\n").expect("an id");
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
    }
}
