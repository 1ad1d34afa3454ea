//! "Download all": the generated files as one `.zip`, built in memory (no file system, so
//! it runs in the browser). The entries are *stored* (uncompressed): config files are a
//! few kilobytes each, and a deflate encoder (flate2 + miniz_oxide) measured 28.7 KB gzip
//! of wasm, a seventh of the 200 KB first-load budget, for files that small. A stored zip
//! needs only the format's headers and a CRC-32, written here in a few lines; every
//! archive program opens it (the tests check with `unzip -t` and Python's zipfile).

use super::File;

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum zip requires.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of the bytes.
pub fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |c, &b| CRC_TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8))
}

/// Unix seconds as MS-DOS (time, date), the zip's timestamp; before 1980 is 1980-01-01.
pub fn dos_time(unix_s: u64) -> (u16, u16) {
    let days = (unix_s / 86_400) as i64;
    let secs = unix_s % 86_400;
    let (year, month, day) = crate::model::date::civil(days);
    if year < 1980 {
        return (0, (1 << 5) | 1);
    }
    let year = year.min(2107);
    let time = ((secs / 3600) << 11) | (((secs % 3600) / 60) << 5) | ((secs % 60) / 2);
    let date = ((year - 1980) << 9) | (month << 5) | day;
    (time as u16, date as u16)
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The files as a stored zip under the directory `dir`, modified at `mtime` (Unix s).
/// Sizes and offsets are 32-bit (no zip64): generated files are far below 4 GiB.
pub fn zip(dir: &str, files: &[File], mtime: u64) -> Vec<u8> {
    let (time, date) = dos_time(mtime);
    let mut out = Vec::new();
    let mut central = Vec::new();
    for f in files {
        let name = format!("{dir}/{}", f.name);
        let data = f.text.as_bytes();
        let (crc, size, offset) = (crc32(data), data.len() as u32, out.len() as u32);
        // Local file header: version 1.0, no flags, method 0 (stored).
        u32le(&mut out, 0x0403_4b50);
        for v in [10, 0, 0, time, date] {
            u16le(&mut out, v);
        }
        for v in [crc, size, size] {
            u32le(&mut out, v);
        }
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry: made by Unix (3) zip 2.0, mode rw-r--r--.
        u32le(&mut central, 0x0201_4b50);
        for v in [(3 << 8) | 20, 10, 0, 0, time, date] {
            u16le(&mut central, v);
        }
        for v in [crc, size, size] {
            u32le(&mut central, v);
        }
        for v in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0o100_644 << 16);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_size, n) = (out.len() as u32, central.len() as u32, files.len() as u16);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, n, n] {
        u16le(&mut out, v);
    }
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

/// The archive's file name and top directory for a plan's service name.
pub fn names(service: &str) -> (String, String) {
    let dir = format!("{service}-config");
    (format!("{dir}.zip"), dir)
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
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn dos_time_converts_the_calendar() {
        // 2024-02-29 13:45:30 UTC
        let (time, date) = dos_time(1_709_214_330);
        assert_eq!((date >> 9, (date >> 5) & 15, date & 31), (44, 2, 29));
        assert_eq!((time >> 11, (time >> 5) & 63, (time & 31) * 2), (13, 45, 30));
        assert_eq!(dos_time(0), (0, 33));
    }

    #[test]
    fn the_zip_holds_each_file_stored_and_ends_with_its_directory() {
        let z = zip("app-config", &files(), 1_700_000_000);
        assert_eq!(&z[..4], b"PK\x03\x04");
        assert_eq!(&z[30..47], b"app-config/a.conf");
        assert_eq!(&z[47..53], b"x = 1\n");
        let end = &z[z.len() - 22..];
        assert_eq!(&end[..4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([end[10], end[11]]), 2);
    }

    /// The real `unzip` and Python's zipfile read the archive back, when installed.
    #[test]
    fn unzip_and_python_read_it_back() {
        let dir = std::env::temp_dir().join(format!("planner-zip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.zip");
        std::fs::write(&path, zip("app-config", &files(), 1_700_000_000)).unwrap();
        if let Ok(out) = std::process::Command::new("unzip").arg("-t").arg(&path).output() {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        }
        if let Ok(out) = std::process::Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&path).arg(&dir).output() {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(std::fs::read_to_string(dir.join("app-config/.env")).unwrap(), "A".repeat(700));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
