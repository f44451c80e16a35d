//! Persona photos as pictures: decoded once (JPEG or PNG, with the `image`
//! crate), cropped to their centre square and shrunk to a thumbnail, and
//! named by a texture id derived from the persona, so the scene can draw a
//! photo without knowing who shows it.
//!
//! Whoever paints the scene supplies the pictures under those ids: the
//! canvas loads them into egui ([`crate::ui::canvas`]), the PNG export into
//! the rasterizer's texture store, and the SVG export writes the photo's
//! own bytes as an `<image>`.
//!
//! Invariant: a photo that does not decode is never an error here, only
//! `None`, and the scene then draws the persona's initials.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use egui::{ColorImage, TextureId};

use crate::model::{Persona, PersonaId, Photo};

/// Longest side of a decoded photo in pixels: an avatar is at most a few
/// dozen points across, drawn at up to 3x in exports.
pub const MAX_SIDE: u32 = 256;

/// Largest encoded image width or height accepted: beyond it a "photo" is
/// not a thumbnail, and decoding it would cost more memory than it is worth.
const MAX_SOURCE_SIDE: u32 = 8192;

/// Texture ids of photos are this plus the persona's id: far from the
/// small numbers other `TextureId::User` users start at.
const TEXTURE_BASE: u64 = 0x5057_0000_0000_0000;

/// Decoded photos kept before the cache starts again.
const CACHE_LIMIT: usize = 64;

/// Decoded photos by the hash of their base64 text (`None`: not an image).
static DECODED: LazyLock<Mutex<HashMap<u64, Option<Arc<ColorImage>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The texture id under which a persona's photo is drawn.
pub fn texture_id(persona: PersonaId) -> TextureId {
    TextureId::User(TEXTURE_BASE.wrapping_add(persona.0))
}

/// The persona whose photo a texture id names, if it names one.
pub fn persona_of(texture: TextureId) -> Option<PersonaId> {
    match texture {
        TextureId::User(id) if id >= TEXTURE_BASE => Some(PersonaId(id - TEXTURE_BASE)),
        _ => None,
    }
}

/// A hash of the photo's bytes, to tell a changed photo from the one
/// loaded before.
pub fn photo_hash(photo: &Photo) -> u64 {
    let mut hasher = DefaultHasher::new();
    photo.base64().hash(&mut hasher);
    hasher.finish()
}

/// The persona's photo as a square picture, decoded once and cached;
/// `None` without a photo or when it is not a JPEG or PNG image.
pub fn picture(persona: &Persona) -> Option<Arc<ColorImage>> {
    let photo = persona.photo.as_ref()?;
    let key = photo_hash(photo);
    let mut cache = DECODED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = cache.get(&key) {
        return found.clone();
    }
    let decoded = decode(&photo.bytes()).map(Arc::new);
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(key, decoded.clone());
    decoded
}

/// Encoded image bytes as a square picture at most [`MAX_SIDE`] across:
/// the centre square of the image, shrunk. `None` when they are not a
/// JPEG or PNG image of a sensible size.
pub fn decode(bytes: &[u8]) -> Option<ColorImage> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    reader.limits(limits);
    let square = crate::io::photo::centre_square(&reader.decode().ok()?)?;
    let square = if square.width() > MAX_SIDE {
        square.resize_exact(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        square
    };
    let rgba = square.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Some(ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()))
}

/// The MIME type of encoded photo bytes, for a data URL.
pub fn mime_type(bytes: &[u8]) -> Option<&'static str> {
    match image::guess_format(bytes).ok()? {
        image::ImageFormat::Png => Some("image/png"),
        image::ImageFormat::Jpeg => Some("image/jpeg"),
        _ => None,
    }
}

/// Every persona's photo that decodes, under its texture id.
pub fn pictures(personas: &[Persona]) -> Vec<(TextureId, Arc<ColorImage>)> {
    (personas.iter())
        .filter_map(|p| picture(p).map(|image| (texture_id(p.id), image)))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG `width` x `height` of one colour.
    pub(crate) fn solid_png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb(rgb));
        let mut out = std::io::Cursor::new(Vec::new());
        image
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        out.into_inner()
    }

    #[test]
    fn a_photo_is_cropped_square_and_shrunk() {
        let wide = solid_png(900, 300, [200, 40, 10]);
        let image = decode(&wide).unwrap_or_else(|| panic!("no image"));
        assert_eq!(image.size, [256, 256]);
        assert_eq!(image.pixels[0], egui::Color32::from_rgb(200, 40, 10));
        let small = decode(&solid_png(40, 60, [1, 2, 3])).map(|i| i.size);
        assert_eq!(small, Some([40, 40]));
        assert_eq!(mime_type(&wide), Some("image/png"));
    }

    #[test]
    fn bytes_that_are_not_an_image_give_none() {
        assert!(decode(b"not an image at all").is_none());
        assert!(decode(&[]).is_none());
        // A PNG cut short.
        let png = solid_png(20, 20, [0, 0, 0]);
        assert!(decode(png.get(..png.len() / 2).unwrap_or_default()).is_none());
        let mut persona = Persona::named(PersonaId(3), "Ana");
        persona.photo = Some(Photo::from_bytes(b"GIF89a?"));
        assert!(picture(&persona).is_none());
        assert!(pictures(std::slice::from_ref(&persona)).is_empty());
    }

    #[test]
    fn texture_ids_name_their_persona() {
        let id = texture_id(PersonaId(42));
        assert_eq!(persona_of(id), Some(PersonaId(42)));
        assert_eq!(persona_of(TextureId::User(7)), None);
        assert_eq!(persona_of(TextureId::Managed(0)), None);
    }
}
