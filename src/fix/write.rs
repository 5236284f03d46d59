//! Writes that cannot be turned against the user: a temporary file with a random name,
//! created exclusively (`O_EXCL`, never through a planted symlink) in the target's own
//! directory, given the original's mode and owner, synced, then renamed over the target.
//! A symlinked input is fixed in its target; a file with several hard links is refused
//! rather than silently split from its other names.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `content` to `path` atomically: a crash never leaves a half-written file, and the
/// file keeps its permissions (and its owner, when the process may set it).
pub fn write_atomic(path: &Path, content: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".irsalint-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.write_all(content.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root may give a file away; for anyone else this is a no-op or EPERM,
            // and the file keeps the writer's ownership as any editor's save would.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
        // After the owner: changing it clears set-id bits.
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable only once the directory is synced.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Where a fix of the input `path` must be written: the file itself, or the target of a
/// symlink. An error (ready to print after the path) when it must not be written.
pub fn fix_target(path: &Path) -> Result<PathBuf, String> {
    let link = std::fs::symlink_metadata(path).map_err(|e| format!("cannot stat: {e}"))?;
    let target = if link.file_type().is_symlink() {
        std::fs::canonicalize(path).map_err(|e| format!("cannot resolve the symlink: {e}"))?
    } else {
        path.to_path_buf()
    };
    let meta = std::fs::metadata(&target).map_err(|e| format!("cannot stat: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "has {} hard links; not fixed (replacing it would split it from its other names)",
                meta.nlink()
            ));
        }
    }
    Ok(target)
}

/// Where `--write-baseline` may write: a regular file (through a symlink: its target) or a
/// path that does not exist yet. Devices, FIFOs, directories and dangling links are refused.
pub fn baseline_target(path: &Path) -> Result<PathBuf, String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(format!("cannot stat: {e}")),
        Ok(link) => {
            let target = if link.file_type().is_symlink() {
                std::fs::canonicalize(path)
                    .map_err(|e| format!("a symlink that cannot be resolved: {e}"))?
            } else {
                path.to_path_buf()
            };
            match std::fs::metadata(&target) {
                Ok(m) if m.is_file() => Ok(target),
                Ok(_) => Err("not a regular file; refusing to replace it".into()),
                Err(e) => Err(format!("cannot stat: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_hard_links_and_special_files() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        std::fs::write(&real, "x").unwrap();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(
            fix_target(&link).unwrap(),
            std::fs::canonicalize(&real).unwrap()
        );
        let hard = dir.path().join("hard.yaml");
        std::fs::hard_link(&real, &hard).unwrap();
        assert!(fix_target(&hard).unwrap_err().contains("2 hard links"));

        assert_eq!(
            baseline_target(&dir.path().join("new.json")).unwrap(),
            dir.path().join("new.json")
        );
        assert!(baseline_target(Path::new("/dev/null")).is_err());
        let to_dev = dir.path().join("to-dev");
        std::os::unix::fs::symlink("/dev/null", &to_dev).unwrap();
        assert!(baseline_target(&to_dev).is_err());
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(baseline_target(&dangling).is_err());
        assert!(baseline_target(dir.path()).is_err());
    }
}
