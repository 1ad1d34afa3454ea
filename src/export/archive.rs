//! "Download all": the generated files as one `.tar.gz`, built in memory (no file system,
//! so it runs in the browser). The tar is plain POSIX ustar written here (a header block
//! per file, the data padded to 512 bytes, two zero blocks at the end); gzip comes from
//! flate2 on its pure-Rust miniz_oxide backend.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use super::File;

const BLOCK: usize = 512;

/// An octal number field of `width` bytes: digits, zero-padded, NUL-terminated.
fn octal(field: &mut [u8], value: u64) {
    let width = field.len() - 1;
    let text = format!("{value:0width$o}");
    let bytes = text.as_bytes();
    // A value too large for the field keeps its low digits (never reached: files are small).
    field[..width].copy_from_slice(&bytes[bytes.len() - width..]);
    field[width] = 0;
}

/// The ustar header of a regular file `path` of `size` bytes.
fn header(path: &str, size: u64, mtime: u64) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    let name = path.as_bytes();
    let n = name.len().min(100);
    h[..n].copy_from_slice(&name[..n]);
    octal(&mut h[100..108], 0o644);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], mtime);
    h[148..156].fill(b' ');
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    let sum: u64 = h.iter().map(|&b| b as u64).sum();
    // The checksum: six octal digits, NUL, space.
    let text = format!("{sum:06o}");
    h[148..154].copy_from_slice(&text.as_bytes()[text.len() - 6..]);
    h[154] = 0;
    h[155] = b' ';
    h
}

/// The files as a tar archive under the directory `dir`, modified at `mtime` (Unix s).
pub fn tar(dir: &str, files: &[File], mtime: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let data = f.text.as_bytes();
        out.extend_from_slice(&header(&format!("{dir}/{}", f.name), data.len() as u64, mtime));
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    out
}

/// The tar of [`tar`], gzip-compressed.
pub fn tar_gz(dir: &str, files: &[File], mtime: u64) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(&tar(dir, files, mtime));
    gz.finish().unwrap_or_default()
}

/// The archive's file name and top directory for a plan's service name.
pub fn names(service: &str) -> (String, String) {
    let dir = format!("{service}-config");
    (format!("{dir}.tar.gz"), dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<File> {
        vec![
            File { name: "a.conf".into(), text: "x = 1\n".into() },
            File { name: ".env".into(), text: "A".repeat(700) },
        ]
    }

    #[test]
    fn the_tar_is_made_of_512_byte_blocks_with_valid_checksums() {
        let t = tar("app-config", &files(), 1_700_000_000);
        // header + 1 data block, header + 2 data blocks, 2 end blocks
        assert_eq!(t.len(), 7 * BLOCK);
        assert_eq!(&t[..17], b"app-config/a.conf");
        assert_eq!(&t[257..263], b"ustar\0");
        let mut h = [0u8; BLOCK];
        h.copy_from_slice(&t[..BLOCK]);
        let stored = u64::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        h[148..156].fill(b' ');
        assert_eq!(stored, h.iter().map(|&b| b as u64).sum::<u64>());
        assert_eq!(&t[BLOCK..BLOCK + 6], b"x = 1\n");
    }

    #[test]
    fn gzip_round_trips() {
        let gz = tar_gz("d", &files(), 0);
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back).unwrap();
        assert_eq!(back, tar("d", &files(), 0));
    }

    /// The real `tar` reads the archive back, when it is installed.
    #[test]
    fn gnu_tar_lists_and_extracts_it() {
        let Ok(dir) = std::env::temp_dir().join(format!("planner-tar-{}", std::process::id())).canonicalize().or_else(|_| {
            let d = std::env::temp_dir().join(format!("planner-tar-{}", std::process::id()));
            std::fs::create_dir_all(&d).map(|_| d)
        }) else {
            return;
        };
        let path = dir.join("x.tar.gz");
        std::fs::write(&path, tar_gz("app-config", &files(), 1_700_000_000)).unwrap();
        let Ok(out) = std::process::Command::new("tar").arg("-xzf").arg(&path).arg("-C").arg(&dir).output() else {
            return;
        };
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(std::fs::read_to_string(dir.join("app-config/.env")).unwrap(), "A".repeat(700));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
