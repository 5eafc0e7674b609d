package contid_test

// The binding must wrap the whole C API: every function that the version
// script exports is called from the package's sources, and every CONTID_*
// macro of the header is the value of a Go constant. A function added to
// lib/libcontid.sym, or a macro to lib/contid.h, fails this test until
// the binding covers it.

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The package lives in bindings/go of the libcontid source tree.
const srcRoot = "../.."

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// packageSources returns the text of the package's own .go and .c files,
// tests left out.
func packageSources(t *testing.T) (goText, cText string) {
	t.Helper()
	files, err := filepath.Glob("*.[gc]*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, "_test.go"):
		case strings.HasSuffix(f, ".go"):
			goText += readFile(t, f)
		case strings.HasSuffix(f, ".c"):
			cText += readFile(t, f)
		}
	}
	return goText, cText
}

// exportedFunctions returns the names that lib/libcontid.sym exports.
func exportedFunctions(t *testing.T) []string {
	t.Helper()
	sym := readFile(t, filepath.Join(srcRoot, "lib", "libcontid.sym"))
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s+(contid_[a-z0-9_]+);`).FindAllStringSubmatch(sym, -1) {
		names = append(names, m[1])
	}
	if len(names) < 50 {
		t.Fatalf("only %d functions found in libcontid.sym", len(names))
	}
	return names
}

func TestCoversEveryExportedFunction(t *testing.T) {
	goText, cText := packageSources(t)
	exported := map[string]bool{}
	for _, name := range exportedFunctions(t) {
		exported[name] = true
		if !strings.Contains(goText, "C."+name+"(") && !strings.Contains(cText, name+"(") {
			t.Errorf("%s is exported by libcontid but the Go binding does not call it", name)
		}
	}
	// and it calls nothing that is not exported (its own C helpers are
	// named contid_go_*)
	called := regexp.MustCompile(`C\.(contid_[a-z0-9_]+)\(`).FindAllStringSubmatch(goText, -1)
	for _, m := range called {
		if !exported[m[1]] && !strings.HasPrefix(m[1], "contid_go_") {
			t.Errorf("the Go binding calls %s, which libcontid.sym does not export", m[1])
		}
	}
}

func TestCoversEveryHeaderConstant(t *testing.T) {
	goText, _ := packageSources(t)
	header := readFile(t, filepath.Join(srcRoot, "lib", "contid.h"))
	macros := regexp.MustCompile(`(?m)^#define (CONTID_[A-Z0-9_]+)\s`).FindAllStringSubmatch(header, -1)
	var missing []string
	for _, m := range macros {
		if m[1] == "CONTID_H" { // the include guard
			continue
		}
		if !strings.Contains(goText, "C."+m[1]) {
			missing = append(missing, m[1])
		}
	}
	sort.Strings(missing)
	if len(macros) < 20 || len(missing) > 0 {
		t.Errorf("%d macros in contid.h; no Go constant for %v", len(macros), missing)
	}
}
