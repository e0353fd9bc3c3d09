// k8sread reads YAML files the way kubectl and Argo CD do, for hooklint's
// conformance suite: it prints, for each file named on a line of stdin, one JSON
// line {"docs": [{"json": VALUE} | {"error": TEXT}, ...], "error": TEXT}.
//
// Semantics (re-implemented, not copied): apimachinery's document reader
// (pkg/util/yaml: lines read with bufio.ReadLine, so CRLF becomes LF and every
// line, the last one too, ends with "\n"; a line starting with "---" ends a
// document and may be followed only by blanks and a comment, else the whole
// stream fails with "invalid Yaml document separator"; empty buffers are no
// document; a stream whose first non-space byte is "{" is read as JSON values
// first), then sigs.k8s.io/yaml.YAMLToJSON (go-yaml v2) on each document.
// Documents whose JSON is null (only comments) are printed too.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"sigs.k8s.io/yaml"
)

type doc struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
}

type result struct {
	Docs  []doc  `json:"docs"`
	Error string `json:"error,omitempty"`
}

// splitDocuments cuts a stream into documents as apimachinery's YAMLReader does.
func splitDocuments(data []byte) ([][]byte, error) {
	reader := bufio.NewReader(bytes.NewReader(data))
	var docs [][]byte
	var buffer bytes.Buffer
	for {
		var line bytes.Buffer
		var err error
		isPrefix := true
		for isPrefix && err == nil {
			var part []byte
			part, isPrefix, err = reader.ReadLine()
			line.Write(part)
		}
		line.WriteByte('\n')
		text := line.Bytes()
		if bytes.HasPrefix(text, []byte("---")) {
			rest := strings.TrimSpace(string(text[3:]))
			if len(rest) > 0 && rest[0] != '#' {
				return docs, fmt.Errorf("invalid Yaml document separator: %s", rest)
			}
			if buffer.Len() != 0 {
				docs = append(docs, append([]byte(nil), buffer.Bytes()...))
				buffer.Reset()
			}
			if err == io.EOF {
				return docs, nil
			}
			continue
		}
		if err == io.EOF {
			if buffer.Len() != 0 {
				docs = append(docs, append([]byte(nil), buffer.Bytes()...))
			}
			return docs, nil
		}
		if err != nil {
			return docs, err
		}
		buffer.Write(text)
	}
}

func readJSONFirst(data []byte, res *result) []byte {
	decoder := json.NewDecoder(bytes.NewReader(data))
	count := 0
	for {
		var raw json.RawMessage
		offset := decoder.InputOffset()
		err := decoder.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if count > 1 {
				res.Error = err.Error()
				return nil
			}
			rest := data[offset:]
			// like YAMLOrJSONDecoder.consumeWhitespace: eat blanks up to the first newline
			i := 0
			for i < len(rest) && unicode.IsSpace(rune(rest[i])) {
				i++
				if rest[i-1] == '\n' {
					break
				}
			}
			return rest[i:]
		}
		var compact bytes.Buffer
		if json.Compact(&compact, raw) == nil {
			res.Docs = append(res.Docs, doc{JSON: compact.Bytes()})
		}
		count++
	}
}

func read(data []byte) result {
	res := result{Docs: []doc{}}
	if bytes.HasPrefix(bytes.TrimLeftFunc(data, unicode.IsSpace), []byte("{")) {
		data = readJSONFirst(data, &res)
		if data == nil {
			return res
		}
	}
	docs, err := splitDocuments(data)
	for _, d := range docs {
		out, yerr := yaml.YAMLToJSON(d)
		if yerr != nil {
			res.Docs = append(res.Docs, doc{Error: yerr.Error()})
		} else {
			res.Docs = append(res.Docs, doc{JSON: out})
		}
	}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for in.Scan() {
		path := in.Text()
		data, err := os.ReadFile(path)
		var res result
		if err != nil {
			res = result{Docs: []doc{}, Error: err.Error()}
		} else {
			res = read(data)
		}
		if err := encoder.Encode(res); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
