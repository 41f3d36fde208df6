package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/swhost/swhost/server"
)

// adminTokenEnv names the environment variable that overrides the token
// file (docs/security.md).
const adminTokenEnv = "SWHOST_ADMIN_TOKEN"

// adminFlags are serve's flags for guarding the admin listener.
type adminFlags struct {
	tokenFile string
	noAuth    bool
	hosts     stringList
}

func (a *adminFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&a.tokenFile, "admin-token-file", "", "file holding the admin API's token, created (mode 0600) when missing (default: "+server.AdminTokenFile+" in the data directory; "+adminTokenEnv+" overrides the default)")
	fs.BoolVar(&a.noAuth, "insecure-no-auth", false, "serve the admin API without a token (INSECURE: any local process or user can then control swhost)")
	fs.Var(&a.hosts, "allow-host", "host name the admin listener and the connect bridge answer to, besides the --listen host, localhost and loopback addresses (repeatable)")
}

// adminToken finds the admin token, as serve and every command talking
// to a local server do: the file --admin-token-file names, else
// SWHOST_ADMIN_TOKEN, else admin.token in the data directory (created
// when missing). It returns the token and where it came from.
func adminToken(tokenFile, dataDir string) (token, from string, err error) {
	switch {
	case tokenFile != "":
		from = tokenFile
	case os.Getenv(adminTokenEnv) != "":
		token = os.Getenv(adminTokenEnv)
		if err := server.CheckAdminToken(token); err != nil {
			return "", "", fmt.Errorf("%s: %w", adminTokenEnv, err)
		}
		return token, adminTokenEnv, nil
	default:
		from = filepath.Join(dataDir, server.AdminTokenFile)
	}
	token, err = server.LoadOrCreateAdminToken(from)
	return token, from, err
}

// options returns the server's admin options for a listener bound to
// listen.
func (a *adminFlags) options(token, listen string) server.AdminOptions {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	return server.AdminOptions{Token: token, InsecureNoAuth: a.noAuth, Hosts: append([]string{host}, a.hosts...)}
}

// browserAddr is the address to show in a URL for a listener at addr:
// a loopback address in place of an unspecified one.
func browserAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
