//! A persona's photo from an image file the user picks: decoded (PNG or
//! JPEG), cropped to a centred square, shrunk to a thumbnail and encoded as
//! JPEG, so a map with photos stays a small, self-contained file.
//!
//! Never panics on any input: a file that is missing, too large or not an
//! image gives a [`PhotoError`] that names it.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::imageops::FilterType;

use crate::model::Photo;

/// The thumbnail's side, in pixels.
pub const THUMBNAIL_SIZE: u32 = 128;
/// Files larger than this are refused before they are read: a photo from a
/// phone is a few megabytes; anything far bigger is not meant as one.
pub const MAX_PHOTO_BYTES: u64 = 40 * 1024 * 1024;
/// Images with more pixels than this are refused before they are decoded,
/// so a small file that claims a huge size cannot take all the memory.
const MAX_PIXELS: u64 = 100_000_000;
/// JPEG quality of the thumbnail: faces stay clear at about 5 KB.
const JPEG_QUALITY: u8 = 85;

/// Why a file could not become a photo. The message names the file.
#[derive(Debug)]
pub struct PhotoError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong, in words.
    pub reason: String,
}

impl std::fmt::Display for PhotoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cannot be used as a photo: {}",
            self.path.display(),
            self.reason
        )
    }
}

impl std::error::Error for PhotoError {}

/// Reads the image at `path` and makes the persona's thumbnail of it.
pub fn photo_from_file(path: &Path) -> Result<Photo, PhotoError> {
    let fail = |reason: String| PhotoError {
        path: path.to_path_buf(),
        reason,
    };
    let size = std::fs::metadata(path)
        .map_err(|err| fail(err.to_string()))?
        .len();
    if size > MAX_PHOTO_BYTES {
        return Err(fail(format!(
            "it is {} MB; a photo may be at most {} MB",
            size / (1024 * 1024),
            MAX_PHOTO_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|err| fail(err.to_string()))?;
    thumbnail(&bytes).map_err(fail)
}

/// The largest square in the middle of `image` (a face is usually there);
/// `None` for an empty image. Thumbnails and the map's avatars both use it.
pub fn centre_square(image: &image::DynamicImage) -> Option<image::DynamicImage> {
    let (width, height) = (image.width(), image.height());
    let side = width.min(height);
    (side > 0).then(|| image.crop_imm((width - side) / 2, (height - side) / 2, side, side))
}

/// The JPEG thumbnail of encoded PNG or JPEG `bytes`.
pub fn thumbnail(bytes: &[u8]) -> Result<Photo, String> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| err.to_string())?;
    match reader.format() {
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg) => {}
        Some(other) => {
            return Err(format!(
                "it is a {other:?} image; choose a PNG or JPEG file"
            ));
        }
        None => return Err("it is not a PNG or JPEG image".to_owned()),
    }
    let (width, height) = reader
        .into_dimensions()
        .map_err(|err| format!("it is not a readable image ({err})"))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("it is {width}x{height} pixels, too large to read"));
    }
    let image = image::load_from_memory(bytes)
        .map_err(|err| format!("it is not a readable image ({err})"))?;
    let square = centre_square(&image).ok_or("the image is empty")?;
    let small = square
        .resize_exact(THUMBNAIL_SIZE, THUMBNAIL_SIZE, FilterType::Lanczos3)
        .into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&small)
        .map_err(|err| format!("the thumbnail could not be encoded ({err})"))?;
    Ok(Photo::from_bytes(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width`x`height` PNG, red on the left half and blue on the right.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_wide_png_becomes_a_centred_square_jpeg_thumbnail() {
        let photo = thumbnail(&png(400, 200)).unwrap();
        let bytes = photo.bytes();
        assert_eq!(
            image::guess_format(&bytes).unwrap(),
            image::ImageFormat::Jpeg
        );
        let decoded = image::load_from_memory(&bytes).unwrap().into_rgb8();
        assert_eq!(decoded.dimensions(), (THUMBNAIL_SIZE, THUMBNAIL_SIZE));
        // The crop is centred: both colours remain, red left, blue right.
        let left = decoded.get_pixel(10, 64);
        let right = decoded.get_pixel(THUMBNAIL_SIZE - 10, 64);
        assert!(left[0] > 200 && left[2] < 60, "{left:?}");
        assert!(right[2] > 200 && right[0] < 60, "{right:?}");
    }

    #[test]
    fn a_jpeg_is_accepted_too() {
        let png = image::load_from_memory(&png(64, 64)).unwrap().into_rgb8();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&png)
            .unwrap();
        assert!(thumbnail(&jpeg).is_ok());
    }

    #[test]
    fn files_that_are_not_photos_give_errors_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not an image at all").unwrap();
        let err = photo_from_file(&text).unwrap_err().to_string();
        assert!(
            err.contains("notes.txt") && err.contains("PNG or JPEG"),
            "{err}"
        );

        let missing = dir.path().join("gone.png");
        let err = photo_from_file(&missing).unwrap_err().to_string();
        assert!(err.contains("gone.png"), "{err}");

        // A PNG cut short: the header promises more than the file holds.
        let cut = dir.path().join("cut.png");
        let bytes = png(64, 64);
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let err = photo_from_file(&cut).unwrap_err().to_string();
        assert!(err.contains("cut.png"), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("huge.png");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_PHOTO_BYTES + 1).unwrap();
        let err = photo_from_file(&big).unwrap_err().to_string();
        assert!(err.contains("huge.png") && err.contains("at most"), "{err}");
    }

    #[test]
    fn an_image_claiming_a_huge_size_is_refused_before_decoding() {
        // A 1x1 PNG whose header is patched to claim 20000x20000 pixels.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let err = thumbnail(&bytes).unwrap_err();
        assert!(
            err.contains("too large") || err.contains("readable"),
            "{err}"
        );
    }
}
