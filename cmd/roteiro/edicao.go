package main

// -edicao-aluno PASTA: escreve o repositório dos alunos a partir deste, o do
// professor (que é o modelo de resposta). Vai tudo o que o git acompanha,
// menos o que é só do professor (professorOnly); as regiões de solução
// (internal/edition) saem dos arquivos .go e .md; entram o README e o
// classroom.yml dos alunos (edicao/), e na trilha Python o esqueleto do
// server_async.py do roteiro no lugar de cmd/server_async. A mesma árvore
// de entrada dá sempre a mesma edição, byte a byte.

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"roteiro2/internal/edition"
)

// studentFiles são os arquivos que só a edição dos alunos tem.
//
//go:embed edicao
var studentFiles embed.FS

// professorOnly é o que fica fora da edição dos alunos, e por quê. Um item
// terminado em / vale pela pasta inteira; os outros são padrões de
// path.Match.
var professorOnly = []struct{ Pattern, Why string }{
	{".github/workflows/ci.yml", "o CI deste repositório: rodaria a cada push de cada aluno, em três sistemas"},
	{".ci/", "o script do CI deste repositório"},
	{"scripts/", "as medições do relatório modelo e a correção da própria edição"},
	{"docs/medidas/", "as saídas das medições do relatório modelo"},
	{"docs/img/", "a captura do Desafio do relatório modelo"},
	{"docs/roteiro/", "a tabela e as linhas do tempo do relatório modelo"},
	{"docs/desempenho.md", "as medidas de escala do relatório modelo"},
	{"cmd/roteiro/*_test.go", "os testes do corretor conferem este repositório (o relatório modelo passa, a edição sai certa)"},
	{"cmd/roteiro/testdata/", "os servidores de teste do corretor, entre eles uma solução da trilha Python"},
	{"README.md", "o README do professor; a edição traz o seu (edicao/README.md.tmpl)"},
}

// pythonOnlyOut: na trilha Python o aluno escreve server_async.py; o
// server_async em Go (mesmo sem as regiões de solução) não vai.
const pythonOnlyOut = "cmd/server_async/"

// trilhas são os valores de -trilha.
var trilhas = []string{"go", "python"}

// editionFile é um arquivo da edição.
type editionFile struct {
	data []byte
	exec bool // executável (modo 0755)
}

// excluded diz se o arquivo rel (com /) fica fora da edição da trilha.
func excluded(rel, trilha string) bool {
	if trilha == "python" && strings.HasPrefix(rel, pythonOnlyOut) {
		return true
	}
	for _, p := range professorOnly {
		if strings.HasSuffix(p.Pattern, "/") && strings.HasPrefix(rel, p.Pattern) {
			return true
		}
		if ok, _ := path.Match(p.Pattern, rel); ok {
			return true
		}
	}
	return false
}

// moduleRoot é a raiz do módulo roteiro2, achada com `go env GOMOD` para
// funcionar de qualquer pasta do repositório.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, goCommand(), "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", errors.New("não achei o módulo roteiro2: execute de dentro do repositório (ex.: go run ./cmd/roteiro)")
	}
	return filepath.Dir(gomod), nil
}

// sourceFiles lista os arquivos do repositório (com /, relativos à raiz):
// os que o git acompanha (git ls-files: nada de rascunho não commitado nem
// de binário ignorado); sem git, todos os da pasta menos .git e bin/.
func sourceFiles(root string) ([]string, error) {
	var files []string
	out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output()
	if err == nil {
		for f := range strings.SplitSeq(string(out), "\x00") {
			if f == "" {
				continue
			}
			// Um arquivo apagado da pasta e ainda não do git fica de fora.
			if st, err := os.Lstat(filepath.Join(root, filepath.FromSlash(f))); err == nil && st.Mode().IsRegular() {
				files = append(files, f)
			}
		}
	} else {
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() && (rel == ".git" || rel == "bin") {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() {
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(files)
	return files, nil
}

// buildEdition monta a edição da trilha a partir dos arquivos de root.
func buildEdition(root, trilha string) (map[string]editionFile, error) {
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	ed := map[string]editionFile{}
	for _, rel := range files {
		if excluded(rel, trilha) {
			continue
		}
		full := filepath.Join(root, filepath.FromSlash(rel))
		data, err := os.ReadFile(full)
		if err != nil {
			return nil, err
		}
		st, err := os.Stat(full)
		if err != nil {
			return nil, err
		}
		out, _, err := edition.Strip(rel, data)
		if err != nil {
			return nil, err
		}
		ed[rel] = editionFile{data: out, exec: st.Mode()&0o111 != 0}
	}
	vars := struct{ Trilha string }{trilha}
	for name, tmpl := range map[string]string{
		"README.md":                       "edicao/README.md.tmpl",
		".github/workflows/classroom.yml": "edicao/classroom.yml.tmpl",
	} {
		data, err := renderTemplate(tmpl, vars)
		if err != nil {
			return nil, err
		}
		ed[name] = editionFile{data: data}
	}
	if trilha == "python" {
		data, err := studentFiles.ReadFile("edicao/server_async.py")
		if err != nil {
			return nil, err
		}
		ed["server_async.py"] = editionFile{data: data}
	}
	return ed, nil
}

// renderTemplate executa um modelo de edicao/ (text/template, com [[ ]] no
// lugar de {{ }}, que o classroom.yml usa nas expressões do GitHub).
func renderTemplate(name string, vars any) ([]byte, error) {
	t, err := template.New(path.Base(name)).Delims("[[", "]]").ParseFS(studentFiles, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, vars); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeEdition é o -edicao-aluno: monta a edição e a grava em dir, que tem
// de estar vazia (ou não existir). Devolve o código de saída.
func writeEdition(dir, trilha string) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "roteiro: -edicao-aluno: "+format+"\n", args...)
		return 1
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fail("a pasta %s não está vazia: escolha uma pasta nova (a edição não mistura arquivos com os que já estão lá)", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail("%s: %s", dir, errText(err))
	}
	root, err := moduleRoot(context.Background())
	if err != nil {
		return fail("%v", err)
	}
	ed, err := buildEdition(root, trilha)
	if err != nil {
		return fail("%v", err)
	}
	for _, rel := range slices.Sorted(maps.Keys(ed)) {
		f := ed[rel]
		p := filepath.Join(dir, filepath.FromSlash(rel))
		mode := os.FileMode(0o644)
		if f.exec {
			mode = 0o755
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fail("%s: %s", filepath.Dir(p), errText(err))
		}
		if err := os.WriteFile(p, f.data, mode); err != nil {
			return fail("%s: %s", p, errText(err))
		}
	}
	progress("roteiro: edição dos alunos (trilha %s) em %s: %d arquivo(s)", trilha, dir, len(ed))
	progress("  próximo passo: cd %s && git init && git add -A && git commit -m \"Roteiro 2\"; envie para um repositório novo e marque-o como Template repository (README, \"Para o professor\")", dir)
	return 0
}
