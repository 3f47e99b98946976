"""The embedded mode's e-mail backend: Django's file backend, but the folder is 0700 and each file 0600,
because a delivery e-mail holds the buyer's card keys in clear."""

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

from yongxu.core.files import open_private, private_dir


class PrivateFileEmailBackend(FileEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, file_path=file_path, **kwargs)
        private_dir(self.file_path)

    def open(self):
        if self.stream is None:
            self.stream = open_private(self._get_filename(), "ab")
            return True
        return False
