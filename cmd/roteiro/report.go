package main

// O relatório em Markdown (tabela.md, desempenho.md): data, máquina, o
// comando exato que reproduz os números, a tabela e as explicações.

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine descreve o ambiente: uname, versão do Go, núcleos.
func machine() string {
	un := runtime.GOOS + "/" + runtime.GOARCH
	if out, err := exec.Command("uname", "-srm").Output(); err == nil {
		un = strings.TrimSpace(string(out))
	}
	gv := runtime.Version()
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		gv = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s; %s; %d núcleo(s) (nproc)", un, gv, runtime.NumCPU())
}

// commandLine reconstrói o comando que gerou os números.
func commandLine() string {
	parts := []string{"go", "run", "./cmd/roteiro"}
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsAny(a, " \t\"'$\\") {
			a = fmt.Sprintf("%q", a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// markdownReport é o conteúdo de tabela.md.
func markdownReport(rows []Row, o options) string {
	var b strings.Builder
	b.WriteString("# Roteiro de ponta a ponta — o que foi observado\n\n")
	fmt.Fprintf(&b, "- Data: %s\n", time.Now().Format("2006-01-02 15:04:05 -0700"))
	fmt.Fprintf(&b, "- Máquina: %s\n", machine())
	fmt.Fprintf(&b, "- Comando: `%s`\n", commandLine())
	if o.servidor != nil {
		fmt.Fprintf(&b, "- Servidor de todas as etapas: `%s` (-servidor; medido pelo /proc do processo iniciado, sem [RESUMO SERVIDOR])\n", o.servidor.text)
	}
	fmt.Fprintf(&b, "- Delay dos servidores: %v; clientenervoso: 2 s para conectar, 2 × o delay (no mínimo 2 s) para a resposta\n", o.delay)
	for _, r := range rows {
		if r.Skipped == "" && r.Delay > 0 && r.Delay != o.delay {
			fmt.Fprintf(&b, "- Etapa %s (%s): delay de %v (explicado abaixo)\n", r.Stage, r.Server, r.Delay)
		}
	}
	b.WriteString("\n")
	md := make([][]string, len(rows))
	for i, r := range rows {
		md[i] = r.MarkdownCells()
	}
	b.WriteString(FormatMarkdown(MarkdownHeader(), md))
	b.WriteString("\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "- %s\n", VerdictLine(r))
	}
	var svgs []string
	for _, r := range rows {
		if r.SVG != "" {
			svgs = append(svgs, fmt.Sprintf("- %s — %s, %d clientes: [%s](%s)", r.Stage, r.Server, r.Clients, r.SVG, r.SVG))
		}
	}
	if len(svgs) > 0 {
		b.WriteString("\n## Linhas do tempo\n\n" + strings.Join(svgs, "\n") + "\n")
	}
	b.WriteString(`
Colunas: *threads SO (pico)* é o maior número de threads do sistema operacional no
processo servidor (entre parênteses, quanto subiu desde o repouso); *RSS/conexão* é
(RSS de pico − RSS em repouso) / clientes (a pilha do kernel de cada thread não entra no
RSS: coluna seguinte, explicada abaixo); *CPU* (usuário + sistema) e *trocas de contexto*
(voluntárias + involuntárias) são o que o servidor gastou durante a etapa, pelo
getrusage do próprio servidor (cpu_usuario, cpu_sistema, trocas_vol e trocas_invol do seu
[RESUMO SERVIDOR], que contam também as threads que já terminaram) menos o repouso; um "≥"
indica que o servidor não informou e só as threads vivas puderam ser contadas, em /proc.
*fila listen (pico Recv-Q/Send-Q)* e *SYN descartados* (só Linux; socket de escuta amostrado
por inet_diag a cada ` + queueEvery.String() + `):
` + queueNote + `

` + kstackNote + `
*onde as threads esperam*: ` + waitsNote + `

Números medidos pelo próprio cmd/roteiro (/proc a cada 50 ms, /proc/meminfo, inet_diag,
/proc/net/netstat); nada digitado à mão.
`)
	for _, r := range rows {
		if r.QueueErr != "" {
			fmt.Fprintf(&b, "\nFila n/d em %s %s: %s\n", r.Stage, r.Server, r.QueueErr)
		}
	}
	return b.String()
}
