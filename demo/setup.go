package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// registration is one worker Setup registers through the admin API.
type registration struct {
	Client string `json:"client"`
	Script string `json:"script"`
	Scope  any    `json:"scope,omitempty"`
}

// registrations are the demo's workers registered by script; the font
// provider's worker is registered by its CSS response's Link header.
var registrations = []registration{
	{Client: AppOrigin + "/", Script: "/sw.js", Scope: map[string]string{"path": "/"}},
	{Client: AppOrigin + "/maps/", Script: "/maps/maps-sw.js", Scope: map[string]string{"path": "/maps/?*"}},
	{Client: EchoOrigin + "/", Script: "/serviceworker.js"},
}

// Setup registers the demo's workers through the admin API at adminURL
// (POST /v1/registrations), then fetches the font provider's CSS as a page
// of app.test (POST /v1/fetch), whose Link header registers the
// foreign-fetch worker. Its requests carry the admin token.
func Setup(ctx context.Context, adminURL, token string) error {
	adminURL = strings.TrimSuffix(adminURL, "/")
	for _, r := range registrations {
		if err := post(ctx, adminURL+"/v1/registrations", token, r, http.StatusCreated); err != nil {
			return fmt.Errorf("demo: register %s%s: %w", r.Client, r.Script, err)
		}
	}
	css := map[string]string{"client": AppOrigin + "/", "url": FontsOrigin + "/css"}
	if err := post(ctx, adminURL+"/v1/fetch", token, css, http.StatusOK); err != nil {
		return fmt.Errorf("demo: fetch %s/css: %w", FontsOrigin, err)
	}
	return nil
}

func post(ctx context.Context, url, token string, body any, want int) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != want {
		return fmt.Errorf("%s answered %s: %s", url, resp.Status, bytes.TrimSpace(out))
	}
	return nil
}
