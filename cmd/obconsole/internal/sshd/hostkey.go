package sshd

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyFile is the host key's file name in the state directory.
const HostKeyFile = "ssh_host_ed25519_key"

// loadOrCreateHostKey reads the server's private host key from path, or
// creates an ed25519 key there (file 0600, directories 0700) on first
// start. A key file others may read is refused, as sshd refuses one: the
// key is the server's identity.
func loadOrCreateHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := createHostKey(path); err != nil {
			return nil, false, err
		}
		created = true
		if data, err = os.ReadFile(path); err != nil {
			return nil, false, fmt.Errorf("host key: %w", err)
		}
	case err != nil:
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, false, fmt.Errorf("host key %s is open to others (mode %04o): chmod 600 it", path, perm)
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, created, nil
}

func createHostKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "obconsole ssh host key")
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	// O_EXCL: two servers starting at once must not overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // created by another start meanwhile: use that one
	}
	if err != nil {
		return fmt.Errorf("host key: %w", err)
	}
	if err := pem.Encode(f, block); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("host key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("host key: %w", err)
	}
	return f.Close()
}
