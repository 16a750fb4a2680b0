// The body editor's picture button (a django-prose-editor extension, listed in
// editorial/admin/forms.py's BODY_EDITOR_EXTENSIONS and DJANGO_PROSE_EDITOR_EXTENSIONS):
// it opens the library's chooser (static/admin/js/picture_chooser.js) and inserts the
// chosen picture as a figure: the library's column rendition with its width and height,
// its alt text, and a caption with its credit ("… Photo: Lâm Tùng/ĐBP"). No address is
// typed or pasted by hand; articles/sanitize.py keeps exactly these elements.
import { Extension } from "django-prose-editor/editor"

// The button's title in the journalist's language (admin:jsi18n); the caption's "Photo:"
// stays English, as the public page prints it.
const gettext = window.gettext || ((text) => text)

function captionText(picture) {
  const credit = picture.credit ? `Photo: ${picture.credit}` : ""
  if (!picture.caption) return credit
  if (!credit) return picture.caption
  const end = /[.!?…]$/.test(picture.caption) ? " " : ". "
  return `${picture.caption}${end}${credit}`
}

export function figureOf(picture) {
  const image = { type: "image", attrs: { src: picture.src, alt: picture.alt } }
  if (picture.width && picture.height) {
    image.attrs.width = picture.width
    image.attrs.height = picture.height
  }
  const content = [image]
  const text = captionText(picture)
  if (text) content.push({ type: "caption", content: [{ type: "text", text }] })
  return { type: "figure", content }
}

export const LibraryPicture = Extension.create({
  name: "libraryPicture",

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "libraryPicture",
      groups: "nodes",
      priority: 110,
      button: buttons.material("photo_library", gettext("Insert a picture from the library")),
      enabled: () => Boolean(window.NewsroomPictureChooser && chooserUrl()),
      command(editor) {
        window.NewsroomPictureChooser.open({
          url: chooserUrl(),
          onChoose(picture) {
            editor.chain().focus().insertContent(figureOf(picture)).run()
            // A figure that ends the text gets a paragraph after it, to write on below.
            const { doc } = editor.state
            if (doc.lastChild?.type.name === "figure") {
              editor
                .chain()
                .insertContentAt(doc.content.size, { type: "paragraph" })
                .focus("end")
                .run()
            }
          },
        })
      },
    })
  },
})

function chooserUrl() {
  const holder = document.querySelector("[data-picture-chooser]")
  return holder ? holder.dataset.pictureChooser : ""
}
