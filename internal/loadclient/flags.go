package loadclient

import (
	"flag"
	"fmt"
	"time"

	"roteiro2/internal/cli"
)

// Flags são as flags comuns aos dois clientes.
type Flags struct {
	Host           string
	Port           int
	N              int
	ConnectTimeout time.Duration
	ReplyTimeout   time.Duration
	AllowRemote    bool
	Quiet          bool
	SVG            string

	connect, reply *time.Duration
}

// RegisterFlags registra em flag.CommandLine as flags comuns, com os padrões
// do programa. O programa pode registrar outras antes de chamar Parse.
func RegisterFlags(defaultN int, defaultConnect, defaultReply time.Duration) *Flags {
	f := &Flags{}
	fs := flag.CommandLine
	fs.StringVar(&f.Host, "host", "127.0.0.1", "endereço IPv4 do servidor (só loopback, 127.0.0.0/8, sem -permitir-remoto)")
	fs.IntVar(&f.Port, "port", 65432, "porta TCP do servidor")
	fs.IntVar(&f.N, "n", defaultN, "quantos clientes disparar ao mesmo tempo")
	f.connect = cli.Duration(fs, "connect-timeout", defaultConnect,
		"prazo para ENTRAR: o connect() desiste se o servidor não completar o handshake a tempo (5, 2.5, 300ms...; 0 = sem prazo)")
	f.reply = cli.Duration(fs, "timeout", defaultReply,
		"prazo da RESPOSTA, depois do connect: vale para cada operação (enviar a tarefa, cada recv), como o settimeout do Python (0 = sem prazo)")
	fs.BoolVar(&f.AllowRemote, "permitir-remoto", false, "permite um -host fora do loopback (o roteiro proíbe atacar outras máquinas)")
	fs.BoolVar(&f.Quiet, "q", false, "silencioso: sem linhas por cliente; só uma linha de progresso (stderr) e o RESUMO")
	fs.StringVar(&f.SVG, "svg", "", "grava a linha do tempo da rodada neste arquivo SVG")
	return f
}

// Parse lê os argumentos e valida; termina com código 2 (cli.Usage) se algo
// estiver errado, ANTES de qualquer conexão.
func (f *Flags) Parse() {
	cli.ParseCommandLine("Cliente de carga do Roteiro 2: dispara os clientes ao mesmo tempo e termina com a\n" +
		"linha RESUMO (código 0 qualquer que seja o desfecho: observar as falhas é o objetivo).")
	f.ConnectTimeout, f.ReplyTimeout = *f.connect, *f.reply
	if f.N < 1 {
		cli.Usage(fmt.Sprintf("-n %d: é preciso pelo menos 1 cliente", f.N))
	}
	if f.Port < 1 || f.Port > 65535 {
		cli.Usage(fmt.Sprintf("porta %d fora do intervalo 1–65535", f.Port))
	}
	cli.CheckLoopback(f.Host, f.AllowRemote)
}

// Set diz se a flag name foi dada na linha de comando.
func Set(name string) bool {
	found := false
	flag.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}
